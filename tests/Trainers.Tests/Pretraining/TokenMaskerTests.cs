using MLNet.Transformers.Tensors;
using MLNet.Transformers.Trainers.Pretraining;

namespace MLNet.Transformers.Trainers.Tests.Pretraining;

[TestClass]
public sealed class TokenMaskerTests
{
    private const int Vocabulary = 1000, MaskId = 4, Cls = 2, Sep = 3, Length = 128, Sequences = 2000;
    private static readonly int[] Specials = [0, 1, Cls, Sep, MaskId];

    /// <summary>A count is within 5 standard deviations of its binomial mean.</summary>
    private static void AssertBinomial(long count, long trials, double p, string what)
    {
        var (mean, sigma) = (trials * p, Math.Sqrt(trials * p * (1 - p)));
        Assert.IsTrue(Math.Abs(count - mean) <= 5 * sigma, $"{what}: {count} of {trials}, expected {mean:F0} ± {5 * sigma:F0}.");
    }

    private static int[] RandomSequence(Rng rng)
    {
        var ids = new int[Length];
        for (var i = 0; i < Length; i++) ids[i] = Specials.Length + rng.NextInt(Vocabulary - Specials.Length);
        (ids[0], ids[^1]) = (Cls, Sep);
        return ids;
    }

    [TestMethod]
    public void ProportionsFollowBertWithinBinomialBounds()
    {
        var masker = new TokenMasker(new MaskingOptions(), MaskId, Vocabulary, Specials);
        var (rng, data) = (new Rng(7), new Rng(8));
        long candidates = 0, chosen = 0, masked = 0, replaced = 0, kept = 0;
        var (inputs, labels) = (new int[Length], new int[Length]);
        for (var s = 0; s < Sequences; s++)
        {
            var ids = RandomSequence(data);
            masker.Mask(ids, inputs, labels, rng);
            for (var i = 0; i < Length; i++)
            {
                if (Specials.Contains(ids[i]))
                {
                    Assert.AreEqual(ids[i], inputs[i], "a special token is never replaced");
                    Assert.AreEqual(TokenMasker.IgnoreIndex, labels[i], "a special token is never predicted");
                    continue;
                }
                candidates++;
                if (labels[i] == TokenMasker.IgnoreIndex)
                {
                    Assert.AreEqual(ids[i], inputs[i], "an unchosen token is unchanged");
                    continue;
                }
                Assert.AreEqual(ids[i], labels[i], "the label is the original token");
                chosen++;
                if (inputs[i] == MaskId) masked++;
                else if (inputs[i] == ids[i]) kept++;
                else replaced++;
                Assert.IsFalse(Specials.Contains(inputs[i]) && inputs[i] != MaskId, "a random replacement is never special");
            }
        }
        AssertBinomial(chosen, candidates, 0.15, "chosen");
        AssertBinomial(masked, chosen, 0.8, "[MASK]");
        var sameByChance = 0.1 / (Vocabulary - Specials.Length);
        AssertBinomial(replaced, chosen, 0.1 - sameByChance, "random");
        AssertBinomial(kept, chosen, 0.1 + sameByChance, "kept");
    }

    [TestMethod]
    public void WholeWordMaskingChoosesWordsTogether()
    {
        // Ids from 500 up are "##" continuations.
        var continuations = Enumerable.Range(500, Vocabulary - 500).ToArray();
        var masker = new TokenMasker(new MaskingOptions { WholeWordMasking = true }, MaskId, Vocabulary, Specials, continuations);
        var (rng, data) = (new Rng(11), new Rng(12));
        var (inputs, labels) = (new int[Length], new int[Length]);
        long words = 0, chosenWords = 0;
        for (var s = 0; s < Sequences; s++)
        {
            var ids = RandomSequence(data);
            masker.Mask(ids, inputs, labels, rng);
            for (var start = 1; start < Length - 1;)
            {
                var end = start + 1;
                while (end < Length - 1 && ids[end] >= 500) end++;
                var chosenInWord = Enumerable.Range(start, end - start).Count(i => labels[i] != TokenMasker.IgnoreIndex);
                Assert.IsTrue(chosenInWord == 0 || chosenInWord == end - start,
                    $"sequence {s}: word [{start}, {end}) has {chosenInWord} of {end - start} tokens chosen");
                words++;
                if (chosenInWord > 0) chosenWords++;
                start = end;
            }
        }
        AssertBinomial(chosenWords, words, 0.15, "chosen words");
    }

    [TestMethod]
    public void SameSeedSameMasks()
    {
        var masker = new TokenMasker(new MaskingOptions(), MaskId, Vocabulary, Specials);
        var ids = RandomSequence(new Rng(1));
        var (first, second, labels) = (new int[Length], new int[Length], new int[Length]);
        masker.Mask(ids, first, labels, new Rng(5));
        masker.Mask(ids, second, labels, new Rng(5));
        CollectionAssert.AreEqual(first, second);
    }
}
