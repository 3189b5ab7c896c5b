namespace MLNet.Transformers.Tensors.Tests;

/// <summary>Determinism across runs and degrees; the only class that changes <see cref="Parallelism.Degree"/>.</summary>
[TestClass]
public sealed class GemmParallelTests
{
    [TestMethod]
    public void TwoRunsAreBitIdentical()
    {
        var first = GemmReference.CheckDense(401, 300, 500, false, true, false, "first run");
        var second = GemmReference.CheckDense(401, 300, 500, false, true, false, "second run");
        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    [DataRow(401, 300, 500)]
    [DataRow(7, 1000, 300)]
    public void DegreeOneAndTwoAreBitIdentical(int m, int n, int k)
    {
        var degree = Parallelism.Degree;
        try
        {
            Parallelism.Degree = 1;
            var serial = GemmReference.CheckDense(m, n, k, true, true, true, "degree 1");
            Parallelism.Degree = 2;
            var parallel = GemmReference.CheckDense(m, n, k, true, true, true, "degree 2");
            CollectionAssert.AreEqual(serial, parallel);
        }
        finally
        {
            Parallelism.Degree = degree;
        }
    }

    [TestMethod]
    public void PartRangesTileTheCountInWholeUnits()
    {
        var ranges = Enumerable.Range(0, 3).Select(part => Parallelism.PartRange(100, 3, part, granularity: 12)).ToArray();
        CollectionAssert.AreEqual(new[] { (0, 36), (36, 72), (72, 100) }, ranges);
    }
}
