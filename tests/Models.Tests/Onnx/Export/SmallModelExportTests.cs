using Microsoft.ML.OnnxRuntime;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Onnx.Export;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tests.Onnx;

namespace MLNet.Transformers.Models.Tests.Onnx.Export;

/// <summary>
/// Every architecture and option the exporter writes, on small random models: ONNX Runtime's outputs equal our
/// engine's within 1e-4 on a padded batch. BERT with tanh-GELU and a pooler; RoBERTa (positions counted past the
/// padding id, its two-layer head); DistilBERT (no token types, sinusoidal positions, relu); an embedder pooling
/// cls + max + mean + mean-sqrt-len without normalisation, and one normalising a max pooling.
/// </summary>
[TestClass]
public sealed class SmallModelExportTests
{
    private const double Tolerance = 1e-4;

    [TestMethod]
    public void BertClassifierWithTanhGelu() => CompareClassifier(SmallModels.Config(EncoderArchitecture.Bert, ActivationKind.GeluTanh));

    [TestMethod]
    public void RobertaClassifier() => CompareClassifier(SmallModels.Config(EncoderArchitecture.Roberta));

    [TestMethod]
    public void DistilBertClassifierWithSinusoidalPositionsAndRelu() =>
        CompareClassifier(SmallModels.Config(EncoderArchitecture.DistilBert, ActivationKind.Relu, PositionEmbeddingType.Sinusoidal));

    [TestMethod]
    public void EmbedderWithEveryPoolingConcatenated() =>
        CompareEmbedder(SmallModels.Config(EncoderArchitecture.Bert, ActivationKind.Tanh),
            [PoolingMode.Cls, PoolingMode.Max, PoolingMode.Mean, PoolingMode.MeanSqrtLen], normalize: false);

    [TestMethod]
    public void RobertaEmbedderWithNormalisedMaxPooling() =>
        CompareEmbedder(SmallModels.Config(EncoderArchitecture.Roberta), [PoolingMode.Max], normalize: true);

    private static void CompareClassifier(BertConfig config)
    {
        var model = SmallModels.Classifier(config);
        var batch = SmallModels.Batch(config);
        var logits = model.Forward(batch, training: false).Span.ToArray(); // (B, labels)
        var exported = Run(stream => OnnxExporter.Export(model, stream), batch);
        Assert.IsGreaterThan(0.5, logits.Max(Math.Abs), "the random head gives logits far from zero");
        Assert.IsLessThanOrEqualTo(Tolerance, OnnxRuntimeRunner.MaxDifference(logits, exported[OnnxExportNames.Logits]), "logits");
        var probabilities = exported[OnnxExportNames.Probabilities];
        for (var row = 0; row < batch.BatchSize; row++)
            Assert.AreEqual(1.0, probabilities.Skip(row * SmallModels.Labels.Length).Take(SmallModels.Labels.Length).Sum(), Tolerance);
    }

    private static void CompareEmbedder(BertConfig config, IReadOnlyList<PoolingMode> modes, bool normalize)
    {
        var embedder = SmallModels.Embedder(config, modes, normalize);
        var batch = SmallModels.Batch(config);
        var exported = Run(stream => OnnxExporter.Export(embedder, stream), batch);
        var hidden = embedder.Encoder.Forward(batch, training: false).LastHiddenState.Span; // (B, T, C)
        Assert.IsLessThanOrEqualTo(Tolerance,
            OnnxRuntimeRunner.MaxDifferenceAtRealTokens(exported[OnnxExportNames.LastHiddenState], hidden, batch, config.HiddenSize), "last_hidden_state");
        Assert.IsLessThanOrEqualTo(Tolerance,
            OnnxRuntimeRunner.MaxDifference(embedder.Encode(batch).Span, exported[OnnxExportNames.SentenceEmbedding]), "sentence_embedding");
    }

    /// <summary>Exports into memory and runs the batch through ONNX Runtime.</summary>
    private static Dictionary<string, float[]> Run(Action<Stream> export, Models.Encoder.EncoderBatch batch)
    {
        using var stream = new MemoryStream();
        export(stream);
        using var session = OnnxRuntimeRunner.Open(stream.ToArray());
        return OnnxRuntimeRunner.Run(session, batch);
    }
}
