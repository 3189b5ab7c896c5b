using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Models.SentenceTransformers;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Models.Tests.Onnx;

/// <summary>Models loaded from the real all-MiniLM-L6-v2 .onnx against the same models loaded from ../shared.</summary>
[TestClass]
public sealed class MiniLmOnnxModelTests
{
    private const int Dimension = 384;
    private static readonly string[] Sentences = ["The weather is lovely today.", "He drove to the stadium."];

    [TestMethod]
    public void BertModelFromTheOnnxFileGivesTheBitsOfTheSharedCheckpoint()
    {
        var batch = Batch();
        var fromOnnx = BertModel.FromPretrained(MiniLmOnnxPackage.ModelPath);
        var fromShared = BertModel.FromPretrained(MiniLmOnnxPackage.SharedCheckpoint);

        var expected = fromShared.Forward(batch, training: false);
        var expectedHidden = expected.LastHiddenState.Span.ToArray(); // (B, T, C)
        var expectedPooled = expected.PoolerOutput!.Span.ToArray(); // (B, C)
        var actual = fromOnnx.Forward(batch, training: false);

        Assert.IsTrue(MemoryMarshal.Cast<float, int>(expectedHidden).SequenceEqual(MemoryMarshal.Cast<float, int>(actual.LastHiddenState.Span)));
        Assert.IsTrue(MemoryMarshal.Cast<float, int>(expectedPooled).SequenceEqual(MemoryMarshal.Cast<float, int>(actual.PoolerOutput!.Span)));
    }

    [TestMethod]
    public void EveryParameterLoadsFromTheOnnxFileWithNothingLeftOver()
    {
        var model = new BertModel(BertConfig.Load(MiniLmOnnxPackage.ModelPath));

        var report = model.LoadWeights(MiniLmOnnxPackage.ModelPath);

        Assert.IsTrue(report.IsExact, report.ToString());
        Assert.HasCount(model.Parameters.Count, report.Loaded);
    }

    [TestMethod]
    public void AClassifierStartsFromTheOnnxEncoderWithAFreshHead()
    {
        var classifier = BertForSequenceClassification.FromPretrained(MiniLmOnnxPackage.ModelPath, seed: 7, labels: ["negative", "positive"]);
        using var onnx = OnnxTensorSource.Open(MiniLmOnnxPackage.ModelPath);

        var encoder = classifier.Encoder.Parameters.Single(p => p.Name == "encoder.layer.5.output.dense.weight");
        CollectionAssert.AreEqual(onnx.ReadSingle("encoder.layer.5.output.dense.weight"), encoder.Value.Span.ToArray());
        Assert.IsTrue(classifier.Head.Parameters.Any(p => p.Value.Span.ContainsAnyExcept(0f)), "the head is initialised, not left zero");
        CollectionAssert.AreEqual(new[] { "negative", "positive" }, classifier.Config.Labels.ToArray());
    }

    [TestMethod]
    public void SentenceEncoderFromTheOnnxFileMeanPoolsLikeTheSharedCheckpoint()
    {
        var batch = Batch();
        var fromOnnx = SentenceEncoder.FromPretrained(MiniLmOnnxPackage.ModelPath);
        var fromShared = SentenceEncoder.FromPretrained(MiniLmOnnxPackage.SharedCheckpoint);

        var expected = fromShared.Encode(batch).Span.ToArray(); // (B, D), normalised by the shared modules.json
        var actual = fromOnnx.Encode(batch).Span.ToArray(); // (B, D), mean pooled only: no modules.json beside the .onnx

        Assert.HasCount(expected.Length, actual);
        for (var row = 0; row < Sentences.Length; row++)
        {
            var vector = actual.AsSpan(row * Dimension, Dimension);
            var norm = MathF.Sqrt(TensorPrimitives.Dot<float>(vector, vector));
            for (var i = 0; i < Dimension; i++) Assert.AreEqual(expected[row * Dimension + i], vector[i] / norm, 1e-6f);
        }
    }

    /// <summary>The sentences tokenized by the shared tokenizer.json and padded: (B, T).</summary>
    private static EncoderBatch Batch()
    {
        var tokenizer = Tokenizer.Load(Path.Combine(MiniLmOnnxPackage.SharedCheckpoint, "tokenizer.json"));
        var encodings = tokenizer.EncodeBatch(Sentences);
        return EncoderBatch.Pad([.. encodings.Select(e => e.Ids)], [.. encodings.Select(e => e.TypeIds)], padTokenId: 0);
    }
}
