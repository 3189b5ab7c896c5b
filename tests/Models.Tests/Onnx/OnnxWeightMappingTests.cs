using Google.Protobuf;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Models.Onnx.Proto;
using static MLNet.Transformers.Models.Tests.Onnx.TinyOnnxModel;

namespace MLNet.Transformers.Models.Tests.Onnx;

/// <summary>The naming rules of <see cref="OnnxTensorSource"/> on small graphs: what is named how, and what is read transposed.</summary>
[TestClass]
public sealed class OnnxWeightMappingTests
{
    [TestMethod]
    public void AFoldedMatMulWeightIsNamedByItsBiasAndReadAsOutByIn()
    {
        using var source = Open(Build());

        Assert.AreEqual(DenseWeight, source.InitializerName("dense.weight"));
        Assert.IsTrue(source.IsTransposed("dense.weight"));
        CollectionAssert.AreEqual(new long[] { Out, In }, source.Describe("dense.weight").Shape.ToArray());
        var read = source.ReadSingle("dense.weight"); // (out, in)
        for (var o = 0; o < Out; o++)
            for (var i = 0; i < In; i++)
                Assert.AreEqual(DenseValues[i * Out + o], read[o * In + i], $"({o}, {i})");
    }

    [TestMethod]
    public void AGemmWeightWithoutTransBIsNamedByItsBiasAndTransposed()
    {
        using var source = Open(Build());

        Assert.IsTrue(source.IsTransposed("pooler.dense.weight"));
        var read = source.ReadSingle("pooler.dense.weight"); // (out, in), from the typed float_data field
        Assert.AreEqual(PoolerValues[1 * Out + 2], read[2 * In + 1]);
    }

    [TestMethod]
    public void AGemmWeightWithTransBIsReadAsStored()
    {
        var model = Build();
        var gemm = model.Graph.Node.Single(n => n.OpType == "Gemm");
        gemm.Attribute.Single(a => a.Name == "transB").I = 1;
        Replace(model, Floats(PoolerWeight, [Out, In], PoolerValues));

        using var source = Open(model);

        Assert.IsFalse(source.IsTransposed("pooler.dense.weight"));
        CollectionAssert.AreEqual(PoolerValues, source.ReadSingle("pooler.dense.weight"));
    }

    [TestMethod]
    public void NamedInitializersKeepTheirNamesAndConstantsAreLeftOut()
    {
        using var source = Open(Build());

        CollectionAssert.AreEqual(new[] { "dense.weight", DenseBias, "pooler.dense.weight", PoolerBias, NormWeight }, source.Names.ToArray());
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f }, source.ReadSingle(NormWeight));
        Assert.AreEqual(new TensorInfo(TensorDType.F32, [In]), source.Describe(NormWeight));
    }

    [TestMethod]
    public void HalfPrecisionInTheTypedFieldIsWidened()
    {
        var model = Build();
        var half = new TensorProto { Name = NormWeight, DataType = 10 }; // FLOAT16: one element per int32_data value
        half.Dims.Add(In);
        half.Int32Data.Add([.. new[] { 1f, 2f, 3f, 4f }.Select(v => (int)BitConverter.HalfToUInt16Bits((Half)v))]);
        Replace(model, half);

        using var source = Open(model);

        Assert.AreEqual(TensorDType.F16, source.Describe(NormWeight).DType);
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f }, source.ReadSingle(NormWeight));
    }

    [TestMethod]
    public void CheckpointFilesOpensAnOnnxFile()
    {
        using var directory = ModelFixtures.Temporary();
        var path = Write(Build(), directory.File("tiny.onnx"));

        using var source = CheckpointFiles.Open(path);

        Assert.IsInstanceOfType<OnnxTensorSource>(source);
        Assert.AreEqual(path, source.Location);
        Assert.ThrowsExactly<KeyNotFoundException>(() => source.Describe("dense.bias.missing"));
    }

    internal static OnnxTensorSource Open(ModelProto model) => OnnxTensorSource.Load(new MemoryStream(model.ToByteArray()), "tiny.onnx");

    internal static void Replace(ModelProto model, TensorProto tensor)
    {
        var index = model.Graph.Initializer.ToList().FindIndex(t => t.Name == tensor.Name);
        model.Graph.Initializer[index] = tensor;
    }
}
