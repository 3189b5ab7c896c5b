using MLNet.Transformers.Tensors;
using MLNet.Transformers.Trainers.Pretraining;

namespace MLNet.Transformers.Trainers.Tests.Pretraining;

[TestClass]
public sealed class SequencePackerTests
{
    private const int Cls = 2, Sep = 3;

    [TestMethod]
    [DataRow(3)]
    [DataRow(16)]
    [DataRow(64)]
    public void NoTokenIsLostAndEverySequenceIsFramed(int maxLength)
    {
        var rng = new Rng(3);
        var texts = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, rng.NextInt(90)).Select(_ => 10 + rng.NextInt(100)).ToArray()).ToList();
        var sequences = new SequencePacker(Cls, Sep, maxLength).Pack(texts).ToList();

        for (var i = 0; i < sequences.Count; i++)
        {
            var sequence = sequences[i];
            Assert.AreEqual(Cls, sequence[0]);
            Assert.AreEqual(Sep, sequence[^1]);
            if (i < sequences.Count - 1) Assert.AreEqual(maxLength, sequence.Length, "only the last sequence is short");
            else Assert.IsTrue(sequence.Length <= maxLength);
        }
        var packed = sequences.SelectMany(sequence => sequence[1..^1]).ToList();
        CollectionAssert.AreEqual(texts.SelectMany(text => text).ToList(), packed.Where(id => id != Sep).ToList());
        var nonEmpty = texts.Count(text => text.Length > 0);
        var separators = packed.Count(id => id == Sep);
        // One separator between consecutive texts, except where a new sequence starts at the boundary.
        Assert.IsTrue(separators <= nonEmpty - 1 && separators >= nonEmpty - sequences.Count, $"{separators} separators");
    }

    [TestMethod]
    public void ShortTextsShareASequence()
    {
        var sequences = new SequencePacker(Cls, Sep, 10).Pack([[10, 11], [12], [13, 14]]).ToList();
        Assert.AreEqual(1, sequences.Count);
        CollectionAssert.AreEqual(new[] { Cls, 10, 11, Sep, 12, Sep, 13, 14, Sep }, sequences[0]);
    }
}
