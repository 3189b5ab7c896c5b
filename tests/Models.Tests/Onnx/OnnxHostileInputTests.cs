using Google.Protobuf;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Models.Onnx.Proto;
using MLNet.Transformers.Tests.Common;
using static MLNet.Transformers.Models.Tests.Onnx.OnnxWeightMappingTests;
using static MLNet.Transformers.Models.Tests.Onnx.TinyOnnxModel;

namespace MLNet.Transformers.Models.Tests.Onnx;

/// <summary>Damaged and unsupported ONNX files: each is refused with one message naming the file and what is wrong.</summary>
[TestClass]
public sealed class OnnxHostileInputTests
{
    [TestMethod]
    public void ATruncatedFileIsRefused()
    {
        using var directory = ModelFixtures.Temporary();
        var bytes = Build().ToByteArray();
        var path = directory.File("truncated.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => OnnxTensorSource.Open(path));

        StringAssert.StartsWith(error.Message, path + ": not a complete ONNX model");
    }

    [TestMethod]
    public void TheRealModelCutShortIsRefused()
    {
        using var directory = ModelFixtures.Temporary();
        var path = directory.File("model.onnx");
        const int KeptBytes = 1 << 20;
        using (var source = MiniLmOnnxPackage.OpenModel())
        using (var target = File.Create(path))
        {
            var head = new byte[KeptBytes];
            source.ReadExactly(head);
            target.Write(head);
        }

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Models.Encoder.BertModel.FromPretrained(path));

        StringAssert.StartsWith(error.Message, path + ": not a complete ONNX model");
    }

    [TestMethod]
    public void AFileThatIsNotOnnxIsRefused()
    {
        using var directory = ModelFixtures.Temporary();
        var path = directory.File("config.onnx");
        File.WriteAllText(path, "{\"hidden_size\": 384}");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => OnnxTensorSource.Open(path));

        StringAssert.StartsWith(error.Message, path + ": not");
    }

    [TestMethod]
    public void AMatMulWeightWithoutANamedBiasIsRefusedByName()
    {
        var model = Build();
        model.Graph.Node.Single(n => n.OpType == "Add" && n.Input.Contains(DenseBias)).Input[0] = "x";

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Open(model));

        Assert.AreEqual(
            $"tiny.onnx: initializer '{DenseWeight}': a MatMul weight [{In}, {Out}] not followed by an Add of one named bias ('….bias' initializer), so it has no parameter name.",
            error.Message);
    }

    [TestMethod]
    public void AnUnnamedTensorThatIsNoDenseWeightIsRefusedByName()
    {
        var model = Build();
        model.Graph.Initializer.Add(Floats("onnx::Mul_7", [In], [1f, 1f, 1f, 1f]));
        model.Graph.Node.Add(Node("Mul", ["x", "onnx::Mul_7"], ["odd"]));

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Open(model));

        Assert.AreEqual(
            "tiny.onnx: initializer 'onnx::Mul_7': an unnamed [4] tensor used by Mul, not a MatMul or Gemm weight; no parameter name can be given to it.",
            error.Message);
    }

    [TestMethod]
    public void ExternalDataIsRefusedNamingTheTensorAndTheFile()
    {
        var model = Build();
        var external = new TensorProto { Name = NormWeight, DataType = 1, DataLocation = 1 };
        external.Dims.Add(In);
        external.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "model.onnx.data" });
        Replace(model, external);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Open(model));

        StringAssert.StartsWith(error.Message, $"tiny.onnx: initializer '{NormWeight}': its data is stored outside the model (external data in 'model.onnx.data')");
    }

    [TestMethod]
    public void QuantizedWeightsAreRefused()
    {
        var model = Build();
        var quantized = new TensorProto { Name = NormWeight, DataType = 3, RawData = ByteString.CopyFrom(1, 2, 3, 4) }; // INT8
        quantized.Dims.Add(In);
        Replace(model, quantized);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Open(model));

        Assert.AreEqual(
            $"tiny.onnx: initializer '{NormWeight}': an 8-bit integer tensor [4]; quantized models are not supported, export the float model.",
            error.Message);
    }

    [TestMethod]
    public void ASparseInitializerIsRefused()
    {
        var model = Build();
        model.Graph.SparseInitializer.Add(new SparseTensorProto { Values = Floats("sparse.weight", [1], [1f]) });

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Open(model));

        Assert.AreEqual("tiny.onnx: initializer 'sparse.weight' is stored sparse, which is not supported.", error.Message);
    }

    [TestMethod]
    public void AScaledGemmIsRefused()
    {
        var model = Build();
        model.Graph.Node.Single(n => n.OpType == "Gemm").Attribute.Single(a => a.Name == "alpha").F = 2f;

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Open(model));

        StringAssert.StartsWith(error.Message, $"tiny.onnx: initializer '{PoolerWeight}': a Gemm weight with transA=0, alpha=2, beta=1");
    }

    [TestMethod]
    public void ElementsThatDoNotFitTheShapeAreRefusedOnRead()
    {
        var model = Build();
        Replace(model, Floats(NormWeight, [In], [1f, 2f, 3f]));
        using var source = Open(model);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => source.ReadSingle(NormWeight));

        StringAssert.StartsWith(error.Message, $"tiny.onnx: initializer '{NormWeight}' ({NormWeight}): holds 3 elements");
    }

    [TestMethod]
    public void TwoInitializersForOneParameterAreRefused()
    {
        var model = Build();
        model.Graph.Initializer.Add(Floats("dense.weight", [Out, In], new float[In * Out]));

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Open(model));

        Assert.AreEqual($"tiny.onnx: initializers '{DenseWeight}' and 'dense.weight' both map to parameter 'dense.weight'.", error.Message);
    }

    [TestMethod]
    public void AConfigThatTheGraphCannotShowAsksForConfigJson()
    {
        using var directory = ModelFixtures.Temporary();
        var path = Write(Build(), directory.File("tiny.onnx"));

        var error = Assert.ThrowsExactly<InvalidDataException>(() => BertConfig.Load(path));

        Assert.AreEqual(
            $"{path}: no weight 'embeddings.word_embeddings.weight' to infer vocab_size and hidden_size from; put the model's config.json beside it.",
            error.Message);
    }
}
