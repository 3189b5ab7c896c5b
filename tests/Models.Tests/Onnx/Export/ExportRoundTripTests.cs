using System.Runtime.InteropServices;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Models.Onnx.Export;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Tests.Onnx.Export;

/// <summary>
/// An export is a checkpoint: our own ONNX reader (<see cref="OnnxTensorSource"/>) finds every parameter under its
/// Hugging Face name with its bits, infers the configuration from the graph alone, and a model loaded from the file
/// computes the bits of the model exported (its config.json travels in the file's metadata).
/// </summary>
[TestClass]
public sealed class ExportRoundTripTests
{
    [TestMethod]
    public void TheEmbedderExportHoldsEveryEncoderWeightUnderItsNameBitForBit()
    {
        using var source = OnnxTensorSource.Open(ExportedMiniLm.Embedder.Path);
        AssertSameWeights(ExportedMiniLm.Embedder.Model.Encoder.Parameters, source);
    }

    [TestMethod]
    public void TheClassifierExportHoldsEveryWeightUnderItsPrefixedNameBitForBit()
    {
        using var source = OnnxTensorSource.Open(ExportedMiniLm.Classifier.Path);
        AssertSameWeights(ExportedMiniLm.Classifier.Model.Parameters, source);
        Assert.Contains("bert.pooler.dense.weight", source.Names);
        Assert.Contains("classifier.weight", source.Names);
    }

    [TestMethod]
    public void TheGraphAloneGivesBackTheConfiguration()
    {
        using var source = OnnxTensorSource.Open(ExportedMiniLm.Embedder.Path);
        var expected = ExportedMiniLm.Embedder.Model.Encoder.Config;

        var inferred = OnnxCheckpoint.InferConfig(source);

        Assert.AreEqual(
            (expected.VocabSize, expected.HiddenSize, expected.NumHiddenLayers, expected.NumAttentionHeads, expected.IntermediateSize,
             expected.MaxPositionEmbeddings, expected.TypeVocabSize, expected.HiddenAct, (float)expected.LayerNormEps),
            (inferred.VocabSize, inferred.HiddenSize, inferred.NumHiddenLayers, inferred.NumAttentionHeads, inferred.IntermediateSize,
             inferred.MaxPositionEmbeddings, inferred.TypeVocabSize, inferred.HiddenAct, (float)inferred.LayerNormEps));
    }

    [TestMethod]
    public void TheMiniLmClassifierLoadedFromItsExportComputesTheSameBits() =>
        AssertLoadsBack(ExportedMiniLm.Classifier.Model, ExportedMiniLm.Classifier.Path, SmallModels.Batch(ExportedMiniLm.Classifier.Model.Config));

    [TestMethod]
    [DataRow(EncoderArchitecture.Roberta, PositionEmbeddingType.Absolute)]
    [DataRow(EncoderArchitecture.DistilBert, PositionEmbeddingType.Sinusoidal)]
    public void EveryArchitectureLoadsBackFromItsExport(EncoderArchitecture architecture, PositionEmbeddingType positions)
    {
        var config = SmallModels.Config(architecture, positions: positions);
        var model = SmallModels.Classifier(config);
        using var folder = ModelFixtures.Temporary();
        var path = folder.File("model.onnx");
        OnnxExporter.Export(model, path);

        AssertLoadsBack(model, path, SmallModels.Batch(config));
    }

    /// <summary>FromPretrained on the exported file (no config.json beside it) gives the labels and the logits' bits.</summary>
    private static void AssertLoadsBack(BertForSequenceClassification model, string path, EncoderBatch batch)
    {
        var loaded = BertForSequenceClassification.FromPretrained(path);

        CollectionAssert.AreEqual(model.Config.Labels.ToArray(), loaded.Config.Labels.ToArray());
        Assert.AreEqual(model.Config.Architecture, loaded.Config.Architecture);
        var expected = model.Forward(batch, training: false).Span.ToArray();
        Assert.IsTrue(Bits(expected).SequenceEqual(Bits(loaded.Forward(batch, training: false).Span)));
    }

    private static void AssertSameWeights(IReadOnlyList<Parameter> parameters, OnnxTensorSource source)
    {
        CollectionAssert.AreEquivalent(parameters.Select(p => p.Name).ToList(), source.Names.ToList());
        foreach (var parameter in parameters)
        {
            CollectionAssert.AreEqual(parameter.Value.Shape.ToArray().Select(d => (long)d).ToArray(), source.Describe(parameter.Name).Shape.ToArray(), parameter.Name);
            Assert.IsFalse(source.IsTransposed(parameter.Name), $"{parameter.Name} is stored in checkpoint layout");
            Assert.IsTrue(Bits(parameter.Value.Span).SequenceEqual(Bits(source.ReadSingle(parameter.Name))), parameter.Name);
        }
    }

    private static ReadOnlySpan<int> Bits(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, int>(values);
}
