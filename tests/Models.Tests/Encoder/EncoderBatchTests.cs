using MLNet.Transformers.Models.Encoder;

namespace MLNet.Transformers.Models.Tests.Encoder;

/// <summary>Padding sequences of different lengths into one batch, as Hugging Face tokenizers pad to the longest.</summary>
[TestClass]
public sealed class EncoderBatchTests
{
    [TestMethod]
    public void PadRightPadsToTheLongestWithThePadIdAndMasksThePadding()
    {
        const int pad = 9;
        var batch = EncoderBatch.Pad([[1, 2, 3], [4], [5, 6]], [[0, 0, 1], [0], [0, 1]], pad);

        Assert.AreEqual(3, batch.BatchSize);
        Assert.AreEqual(3, batch.SequenceLength);
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, pad, pad, 5, 6, pad }, batch.InputIds);
        CollectionAssert.AreEqual(new[] { 1, 1, 1, 1, 0, 0, 1, 1, 0 }, batch.AttentionMask);
        CollectionAssert.AreEqual(new[] { 0, 0, 1, 0, 0, 0, 0, 1, 0 }, batch.TokenTypeIds);
    }

    [TestMethod]
    public void PadRefusesTypesThatDoNotMatchTheIds()
    {
        Assert.ThrowsExactly<ArgumentException>(() => EncoderBatch.Pad([[1, 2]], [[0]], 0));
        Assert.ThrowsExactly<ArgumentException>(() => EncoderBatch.Pad([[1]], [], 0));
        Assert.ThrowsExactly<ArgumentException>(() => EncoderBatch.Pad([], [], 0));
    }
}
