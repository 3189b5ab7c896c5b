using System.Text;
using MLNet.Transformers.Models.Checkpoints;

namespace MLNet.Transformers.Models.Tests.Checkpoints;

[TestClass]
public sealed class SafetensorsHeaderTests
{
    [TestMethod]
    [DataRow("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}""", 12, "needs 8 bytes")]
    [DataRow("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4, "run past the data section")]
    [DataRow("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "overlap")]
    [DataRow("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "appears twice")]
    [DataRow("""{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,4]}}""", 4, "unsupported dtype")]
    [DataRow("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "non-negative")]
    [DataRow("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", 4, "begin <= end")]
    [DataRow("""{"a":{"dtype":"F32","shape":[1]}}""", 4, "data_offsets")]
    [DataRow("""{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}""", 4, "too large")]
    [DataRow("""{"__metadata__":{"format":1}}""", 0, "must be a string")]
    [DataRow("""{"a": tru""", 0, "not valid JSON")]
    [DataRow("""[1, 2]""", 0, "not a JSON object")]
    public void MalformedHeadersAreRejectedWithTheReason(string header, int dataBytes, string reason)
    {
        using var directory = ModelFixtures.Temporary();
        var path = directory.File("bad.safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[dataBytes]]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => SafetensorsReader.Open(path).Dispose());
        StringAssert.Contains(error.Message, reason);
        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    [DataRow(SafetensorsHeader.MaxHeaderBytes + 1, "exceeds the limit")]
    [DataRow(1000L, "past the end of the file")]
    public void HeaderLengthsBeyondTheLimitOrTheFileAreRejectedBeforeReading(long declaredLength, string reason)
    {
        using var directory = ModelFixtures.Temporary();
        var path = directory.File("bad.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)declaredLength), .. "{}"u8]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => SafetensorsReader.Open(path).Dispose());
        StringAssert.Contains(error.Message, reason);
    }

    [TestMethod]
    public void TruncatedFileIsRejected()
    {
        using var directory = ModelFixtures.Temporary();
        var path = directory.File("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => SafetensorsReader.Open(path).Dispose());
        StringAssert.Contains(error.Message, "too short");
    }
}
