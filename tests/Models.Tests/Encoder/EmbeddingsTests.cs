using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;

namespace MLNet.Transformers.Models.Tests.Encoder;

[TestClass]
public sealed class EmbeddingsTests
{
    [TestMethod]
    public void RobertaPositionsCountRealTokensFromPaddingIdPlusOne()
    {
        var config = new BertConfig { Architecture = EncoderArchitecture.Roberta, PadTokenId = 1, VocabSize = 10, MaxPositionEmbeddings = 8 };
        var batch = EncoderBatch.FromRows([[0, 5, 6, 2, 1, 1]], [[1, 1, 1, 1, 0, 0]]);
        var positions = new int[6];

        PositionIds.Compute(config, batch, positions);

        CollectionAssert.AreEqual(new[] { 2, 3, 4, 5, 1, 1 }, positions);
    }

    [TestMethod]
    public void SequenceLongerThanThePositionTableIsAnError()
    {
        var config = new BertConfig { Architecture = EncoderArchitecture.Roberta, PadTokenId = 1, VocabSize = 10, MaxPositionEmbeddings = 5 };
        var batch = EncoderBatch.FromRows([[0, 5, 6, 2]], [[1, 1, 1, 1]]);

        var error = Assert.ThrowsExactly<ArgumentException>(() => PositionIds.Compute(config, batch, new int[4]));
        StringAssert.Contains(error.Message, "max_position_embeddings");
    }

    [TestMethod]
    public void SinusoidalTableHasTheTransformerValues()
    {
        var table = SinusoidalPositions.Table(positions: 3, channels: 4); // (3, 4)

        CollectionAssert.AreEqual(new float[] { 0, 1, 0, 1 }, table[..4]);
        Assert.AreEqual(MathF.Sin(2f), table[8], 1e-7);
        Assert.AreEqual(MathF.Cos(2f), table[9], 1e-7);
        Assert.AreEqual(MathF.Sin(0.02f), table[10], 1e-7); // frequency 10000^(-2/4) = 0.01
        Assert.AreEqual(MathF.Cos(0.02f), table[11], 1e-7);
    }

    [TestMethod]
    public void SinusoidalModelEqualsALearnedModelHoldingTheSameTable()
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        var learned = BertForSequenceClassification.FromPretrained(reference.Directory);
        var config = BertConfig.Load(reference.Directory);
        config.PositionEmbeddingType = PositionEmbeddingType.Sinusoidal;
        var sinusoidal = new BertForSequenceClassification(config);
        var report = sinusoidal.LoadWeights(reference.Directory);
        SinusoidalPositions.Table(config.MaxPositionEmbeddings, config.HiddenSize).CopyTo(learned.Encoder.Embeddings.PositionEmbeddings!.Value.Span);

        Assert.IsTrue(report.IsExact, report.ToString());
        CollectionAssert.AreEqual(new[] { "bert.embeddings.position_embeddings.weight" }, report.Ignored.ToArray());
        Assert.AreEqual(learned.Parameters.Count - 1, sinusoidal.Parameters.Count);
        CollectionAssert.AreEqual(learned.Forward(reference.Batch, false).Span.ToArray(), sinusoidal.Forward(reference.Batch, false).Span.ToArray());
    }
}
