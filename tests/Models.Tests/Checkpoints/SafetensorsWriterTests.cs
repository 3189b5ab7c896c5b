using MLNet.Transformers.Models.Checkpoints;

namespace MLNet.Transformers.Models.Tests.Checkpoints;

[TestClass]
public sealed class SafetensorsWriterTests
{
    [TestMethod]
    public void RewritingAReferenceFileReproducesItByteForByte()
    {
        var original = ModelFixtures.File("roberta", "model.safetensors");
        using var directory = ModelFixtures.Temporary();
        var copy = directory.File("model.safetensors");
        using (var reader = SafetensorsReader.Open(original))
        {
            var tensors = reader.Names.Select(name => new NamedTensor(
                name, [.. reader.Describe(name).Shape.Select(d => (int)d)], reader.ReadSingle(name)));
            SafetensorsWriter.Write(copy, tensors, metadata: reader.Header.Metadata);
        }
        CollectionAssert.AreEqual(File.ReadAllBytes(original), File.ReadAllBytes(copy));
    }

    [TestMethod]
    [DataRow(TensorDType.F16, "values.f16")]
    [DataRow(TensorDType.BF16, "values.bf16")]
    public void HalfPrecisionWritesRoundLikeTorch(TensorDType dtype, string torchRounded)
    {
        using var reference = SafetensorsReader.Open(ModelFixtures.File("checkpoints", "dtypes.safetensors"));
        var exact = reference.ReadSingle("values.f64.as_f32");
        using var directory = ModelFixtures.Temporary();
        var path = directory.File("half.safetensors");
        SafetensorsWriter.Write(path, [new NamedTensor("values", [exact.Length], exact)], dtype);

        using var written = SafetensorsReader.Open(path);
        Assert.AreEqual(dtype, written.Describe("values").DType);
        CollectionAssert.AreEqual(reference.GetBytes(torchRounded).ToArray(), written.GetBytes("values").ToArray());
    }

    [TestMethod]
    public void StreamAndFileWritesGiveTheSameBytes()
    {
        NamedTensor[] tensors = [new("a", [2, 2], new float[] { 1, -2, 3.5f, 1e-8f }), new("b", [1], new float[] { 7 })];
        using var directory = ModelFixtures.Temporary();
        SafetensorsWriter.Write(directory.File("file.safetensors"), tensors, TensorDType.BF16);
        using var stream = new MemoryStream();

        SafetensorsWriter.Write(stream, tensors, TensorDType.BF16);

        CollectionAssert.AreEqual(File.ReadAllBytes(directory.File("file.safetensors")), stream.ToArray());
    }

    [TestMethod]
    public void EveryTensorStartsAlignedAfterThePaddedHeader()
    {
        using var directory = ModelFixtures.Temporary();
        var path = directory.File("aligned.safetensors");
        SafetensorsWriter.Write(path, [new NamedTensor("odd_name", [3], new float[] { 1, 2, 3 })]);

        using var reader = SafetensorsReader.Open(path);
        Assert.AreEqual(0, reader.Header.DataStart % 8);
        CollectionAssert.AreEqual(new float[] { 1, 2, 3 }, reader.ReadSingle("odd_name"));
    }

    [TestMethod]
    public void ValueCountNotMatchingTheShapeIsRejected()
    {
        using var directory = ModelFixtures.Temporary();
        var path = directory.File("bad.safetensors");
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            SafetensorsWriter.Write(path, [new NamedTensor("w", [2, 2], new float[3])]));
        StringAssert.Contains(error.Message, "'w'");
        Assert.IsFalse(File.Exists(path));
    }
}
