namespace MLNet.Transformers.Data.Tests;

[TestClass]
public sealed class BatchMapperTests
{
    private static readonly TransformersContext Context = new(seed: 1);

    internal static FeatureRow[] Rows(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new FeatureRow { Category = $"c{i % 3}", Features = [i, 1, -i / 2f], Count = i, Flag = i % 2 == 0 })];

    public sealed class Summed
    {
        public int Count { get; set; }

        public float Sum { get; set; }
    }

    [TestMethod]
    public void RowsAreMappedInBatchesAndServedInOrderWithTheirOwnColumns()
    {
        var transformer = new WeightedSumTransformer([2, 10, 4], batchSize: 32);

        var output = Context.Data.CreateEnumerable<Summed>(transformer.Transform(Context.Data.LoadFromEnumerable(Rows(100))), reuseRowObject: false).ToArray();

        CollectionAssert.AreEqual(new[] { 32, 32, 32, 4 }, transformer.BatchSizes.ToArray());
        Assert.HasCount(100, output);
        for (int i = 0; i < output.Length; i++)
        {
            Assert.AreEqual(i, output[i].Count, "pass-through column out of step with its row");
            Assert.AreEqual(2f * i + 10 - 4f * (i / 2f), output[i].Sum, 1e-4f);
        }
    }

    [TestMethod]
    public void OneFittedPipelineServesConcurrentCursorsAlike()
    {
        var data = Context.Data.LoadFromEnumerable(Rows(500));
        var model = Context.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(data)
            .Append(new WeightedSumTransformer([3, -1, 2], batchSize: 32));
        var view = model.Transform(data);
        float[] Sums() => [.. Context.Data.CreateEnumerable<Summed>(view, reuseRowObject: false).Select(r => r.Sum)];
        var expected = Sums();

        var results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t => results[t] = Sums());

        foreach (var result in results) CollectionAssert.AreEqual(expected, result);
    }

    [TestMethod]
    public void AnInactiveOutputIsNotComputed()
    {
        var transformer = new WeightedSumTransformer([1, 1, 1], batchSize: 8);
        var output = transformer.Transform(Context.Data.LoadFromEnumerable(Rows(20)));

        using var cursor = output.GetRowCursor([output.Schema["Count"]]);
        while (cursor.MoveNext()) { }

        Assert.IsEmpty(transformer.BatchSizes);
    }

    [TestMethod]
    public void AMissingInputColumnFailsAtTransform()
    {
        var transformer = new WeightedSumTransformer([1, 1], batchSize: 8);

        var error = Assert.ThrowsExactly<SchemaException>(() => transformer.Transform(Context.Data.LoadFromEnumerable(Rows(2))));

        StringAssert.Contains(error.Message, "Column 'Features' (input of WeightedSum) must be Vector<Single, 2>, but is Vector<Single, 3>");
    }
}
