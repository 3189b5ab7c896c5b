using System.IO.Compression;
using MLNet.Transformers.Models.Checkpoints.Torch;

namespace MLNet.Transformers.Models.Tests.Checkpoints;

[TestClass]
public sealed class TorchCheckpointReaderTests
{
    [TestMethod]
    public void PickleCallingAForbiddenGlobalIsRefusedWithoutRunningIt()
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(
            () => TorchCheckpointReader.Open(ModelFixtures.File("checkpoints", "malicious.bin")).Dispose());
        StringAssert.Contains(error.Message, "getcwd");
        StringAssert.Contains(error.Message, "not allowed");
    }

    [TestMethod]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'c', (byte)'o', (byte)'s', 0x0A, (byte)'s', (byte)'y', (byte)'s', (byte)'t', (byte)'e', (byte)'m', 0x0A, (byte)'.' }, "os.system")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'c', (byte)'b', (byte)'u', (byte)'i', (byte)'l', (byte)'t', (byte)'i', (byte)'n', (byte)'s', 0x0A, (byte)'e', (byte)'v', (byte)'a', (byte)'l', 0x0A, (byte)'.' }, "builtins.eval")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'}', 0x81, (byte)'.' }, "opcode 0x81")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'(', (byte)'i', (byte)'o', (byte)'s', 0x0A, (byte)'s', (byte)'y', (byte)'s', (byte)'t', (byte)'e', (byte)'m', 0x0A, (byte)'.' }, "opcode 0x69")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'h', 0x07, (byte)'.' }, "memo key 7")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'X', 0xFF, 0xFF, 0x00, 0x00, (byte)'.' }, "past the end")]
    public void PicklesOutsideTheStateDictSubsetAreRefused(byte[] pickle, string reason)
    {
        using var directory = ModelFixtures.Temporary();
        var path = directory.File("crafted.bin");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var stream = archive.CreateEntry("crafted/data.pkl").Open())
            stream.Write(pickle);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => TorchCheckpointReader.Open(path).Dispose());
        StringAssert.Contains(error.Message, reason);
        StringAssert.Contains(error.Message, "refused");
    }

    [TestMethod]
    public void NonZipFileGetsAClearError()
    {
        using var directory = ModelFixtures.Temporary();
        var path = directory.File("legacy.bin");
        File.WriteAllBytes(path, [0x80, 0x02, 0x8a, 0x0a]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => TorchCheckpointReader.Open(path).Dispose());
        StringAssert.Contains(error.Message, "not a zip-format PyTorch checkpoint");
    }
}
