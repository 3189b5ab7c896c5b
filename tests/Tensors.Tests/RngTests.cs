namespace MLNet.Transformers.Tensors.Tests;

[TestClass]
public sealed class RngTests
{
    [TestMethod]
    public void SameSeedGivesSameSequenceAndOtherSeedsDiffer()
    {
        var (a, b, c) = (new Rng(11), new Rng(11), new Rng(12));
        var (x, y, z) = (new float[100], new float[100], new float[100]);
        a.FillNormal(x, 0f, 1f);
        b.FillNormal(y, 0f, 1f);
        c.FillNormal(z, 0f, 1f);

        CollectionAssert.AreEqual(x, y);
        CollectionAssert.AreNotEqual(x, z);
    }

    [TestMethod]
    public void NormalDrawsHaveTheRequestedMoments()
    {
        var values = new float[200_000];
        new Rng(3).FillNormal(values, 2f, 0.5f);

        var mean = values.Average();
        var std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.AreEqual(2.0, mean, 0.01);
        Assert.AreEqual(0.5, std, 0.01);
    }

    [TestMethod]
    public void DropoutKeepsTheExpectedFractionAndScalesSurvivors()
    {
        var x = Enumerable.Repeat(1f, 100_000).ToArray();
        var y = new float[x.Length];
        Dropout.Forward(x, y, 0.25f, key: 99);

        var kept = y.Count(v => v != 0f);
        Assert.AreEqual(0.75, kept / (double)x.Length, 0.01);
        Assert.IsTrue(y.All(v => v == 0f || Math.Abs(v - 1f / 0.75f) < 1e-6));
    }

    [TestMethod]
    public void DropoutKernelAppliesTheMaskThatKeepsReports()
    {
        var x = Enumerable.Repeat(2f, 1003).ToArray(); // vector body and a scalar tail
        var y = new float[x.Length];
        Dropout.Forward(x, y, 0.3f, key: 12);

        for (var i = 0; i < x.Length; i++)
            Assert.AreEqual(Dropout.Keeps(12, i, 0.3f), y[i] != 0f, $"element {i}");
    }

    [TestMethod]
    public void DropoutMaskDoesNotDependOnTheThreadCount()
    {
        var x = Enumerable.Range(0, 300_000).Select(i => (float)i).ToArray();
        var (serial, parallel) = (new float[x.Length], new float[x.Length]);
        Parallelism.WithDegree(1, () => Dropout.Forward(x, serial, 0.5f, key: 5));
        Parallelism.WithDegree(4, () => Dropout.Forward(x, parallel, 0.5f, key: 5));

        CollectionAssert.AreEqual(serial, parallel);
    }

    [TestMethod]
    public void ShuffleIsAPermutationFixedBySeed()
    {
        int[] a = [.. Enumerable.Range(0, 50)], b = [.. Enumerable.Range(0, 50)];
        new Rng(8).Shuffle<int>(a);
        new Rng(8).Shuffle<int>(b);

        CollectionAssert.AreEqual(a, b);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 50).ToArray(), a);
        CollectionAssert.AreNotEqual(Enumerable.Range(0, 50).ToArray(), a);
    }

    [TestMethod]
    public void ReseedRestartsTheSequence()
    {
        var rng = new Rng(3);
        rng.NextUInt64();
        rng.Reseed(11);
        var fresh = new Rng(11);
        for (var i = 0; i < 10; i++) Assert.AreEqual(fresh.NextUInt64(), rng.NextUInt64());
    }
}
