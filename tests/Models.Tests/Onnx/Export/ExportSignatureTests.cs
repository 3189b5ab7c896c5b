using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Models.Onnx.Export;
using MLNet.Transformers.Models.Onnx.Proto;
using MLNet.Transformers.Tests.Onnx;

namespace MLNet.Transformers.Models.Tests.Onnx.Export;

/// <summary>
/// What a consumer of an export sees, as ONNX Runtime reports it: the input and output names Hugging Face's exports
/// use, int64 inputs and float outputs, the symbolic dimensions <c>batch_size</c> and <c>sequence_length</c>; and
/// the file's header: IR 8, opset 17, our producer name, the model's config.json in the metadata.
/// </summary>
[TestClass]
public sealed class ExportSignatureTests
{
    private const int Unknown = -1;
    private const string Fixed = "";
    private static readonly string[] TokenInputs = ["input_ids", "attention_mask", "token_type_ids"];

    [TestMethod]
    public void TheEmbedderTakesTokenColumnsAndGivesSentenceEmbeddingsAndHiddenStates()
    {
        using var session = OnnxRuntimeRunner.Open(ExportedMiniLm.Embedder.Path);

        AssertInputs(session, TokenInputs);
        Assert.AreEqual(2, session.OutputMetadata.Count);
        AssertFloat(session.OutputMetadata["sentence_embedding"], [Unknown, ExportedMiniLm.Hidden], ["batch_size", Fixed]);
        AssertFloat(session.OutputMetadata["last_hidden_state"], [Unknown, Unknown, ExportedMiniLm.Hidden], ["batch_size", "sequence_length", Fixed]);
    }

    [TestMethod]
    public void TheClassifierTakesTokenColumnsAndGivesLogitsAndProbabilities()
    {
        using var session = OnnxRuntimeRunner.Open(ExportedMiniLm.Classifier.Path);
        var labels = ExportedMiniLm.Labels.Length;

        AssertInputs(session, TokenInputs);
        CollectionAssert.AreEqual(new[] { "logits", "probabilities" }, session.OutputMetadata.Keys.ToArray());
        AssertFloat(session.OutputMetadata["logits"], [Unknown, labels], ["batch_size", Fixed]);
        AssertFloat(session.OutputMetadata["probabilities"], [Unknown, labels], ["batch_size", Fixed]);
    }

    [TestMethod]
    public void AModelWithoutTokenTypesTakesNoTokenTypeIds()
    {
        using var stream = new MemoryStream();
        OnnxExporter.Export(SmallModels.Classifier(SmallModels.Config(EncoderArchitecture.DistilBert)), stream);
        using var session = OnnxRuntimeRunner.Open(stream.ToArray());

        AssertInputs(session, ["input_ids", "attention_mask"]);
    }

    [TestMethod]
    public void TheFileNamesItsFormatProducerAndConfiguration()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ExportedMiniLm.Classifier.Path));

        Assert.AreEqual(8L, model.IrVersion);
        Assert.AreEqual(17L, model.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.AreEqual("MLNet.Transformers", model.ProducerName);
        Assert.IsFalse(string.IsNullOrEmpty(model.DocString));
        var config = BertConfig.FromJson(model.MetadataProps.Single(p => p.Key == OnnxExportNames.ConfigMetadataKey).Value);
        CollectionAssert.AreEqual(ExportedMiniLm.Labels, config.Labels.ToArray());
        Assert.AreEqual(ExportedMiniLm.Hidden, config.HiddenSize);
    }

    [TestMethod]
    public void OurReaderListsTheRuntimeInputsAndOutputs()
    {
        using var source = OnnxTensorSource.Open(ExportedMiniLm.Embedder.Path);

        CollectionAssert.AreEqual(TokenInputs, source.InputNames.ToArray());
        CollectionAssert.AreEqual(new[] { "sentence_embedding", "last_hidden_state" }, source.OutputNames.ToArray());
    }

    private static void AssertInputs(InferenceSession session, string[] names)
    {
        CollectionAssert.AreEqual(names, session.InputMetadata.Keys.ToArray());
        foreach (var input in session.InputMetadata.Values)
        {
            Assert.AreEqual(TensorElementType.Int64, input.ElementDataType);
            CollectionAssert.AreEqual(new[] { Unknown, Unknown }, input.Dimensions);
            CollectionAssert.AreEqual(new[] { "batch_size", "sequence_length" }, input.SymbolicDimensions);
        }
    }

    private static void AssertFloat(NodeMetadata output, int[] dimensions, string[] symbols)
    {
        Assert.AreEqual(TensorElementType.Float, output.ElementDataType);
        CollectionAssert.AreEqual(dimensions, output.Dimensions);
        CollectionAssert.AreEqual(symbols, output.SymbolicDimensions);
    }
}
