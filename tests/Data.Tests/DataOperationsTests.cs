namespace MLNet.Transformers.Data.Tests;

[TestClass]
public sealed class DataOperationsTests
{
    public sealed class Numbered
    {
        public int Count { get; set; }
    }

    private static int[] Counts(TransformersContext context, IDataView view) =>
        [.. context.Data.CreateEnumerable<Numbered>(view, reuseRowObject: false, ignoreMissingColumns: true).Select(r => r.Count)];

    [TestMethod]
    public void TrainTestSplitIsDisjointCompleteRepeatableAndNearTheFraction()
    {
        var context = new TransformersContext(7);
        var data = context.Data.LoadFromEnumerable(BatchMapperTests.Rows(10_000));

        var split = context.Data.TrainTestSplit(data, testFraction: 0.2, seed: 3);
        var train = Counts(context, split.TrainSet);
        var test = Counts(context, split.TestSet);

        CollectionAssert.AreEqual(Enumerable.Range(0, 10_000).ToArray(), train.Concat(test).Order().ToArray());
        Assert.AreEqual(2000, test.Length, 150);
        CollectionAssert.AreEqual(test, Counts(context, context.Data.TrainTestSplit(data, testFraction: 0.2, seed: 3).TestSet));
        CollectionAssert.AreNotEqual(test, Counts(context, context.Data.TrainTestSplit(data, testFraction: 0.2, seed: 4).TestSet));
    }

    [TestMethod]
    public void ASamplingKeyKeepsRowsSharingAValueOnOneSide()
    {
        var context = new TransformersContext(7);
        var rows = Enumerable.Range(0, 2000).Select(i => new FeatureRow { Category = $"user{i % 200}", Features = [0, 0, 0], Count = i }).ToArray();
        var data = context.Data.LoadFromEnumerable(rows);

        var split = context.Data.TrainTestSplit(data, testFraction: 0.3, samplingKeyColumnName: "Label", seed: 5);
        var train = Counts(context, split.TrainSet);
        var test = Counts(context, split.TestSet);

        CollectionAssert.AreEqual(Enumerable.Range(0, 2000).ToArray(), train.Concat(test).Order().ToArray());
        var testUsers = test.Select(i => rows[i].Category).ToHashSet();
        Assert.IsFalse(train.Any(i => testUsers.Contains(rows[i].Category)), "a user's rows are on both sides");
        Assert.AreEqual(60, testUsers.Count, 20);
        var error = Assert.ThrowsExactly<SchemaException>(() => context.Data.TrainTestSplit(data, samplingKeyColumnName: "Features"));
        StringAssert.Contains(error.Message, "Column 'Features' (sampling key of TrainTestSplit)");
    }

    [TestMethod]
    public void ShuffleIsASeededPermutation()
    {
        var context = new TransformersContext(7);
        var data = context.Data.LoadFromEnumerable(BatchMapperTests.Rows(5000));

        var shuffled = Counts(context, context.Data.ShuffleRows(data, seed: 11, shufflePoolSize: 100));

        CollectionAssert.AreEqual(Enumerable.Range(0, 5000).ToArray(), shuffled.Order().ToArray());
        CollectionAssert.AreNotEqual(Enumerable.Range(0, 5000).ToArray(), shuffled);
        CollectionAssert.AreEqual(shuffled, Counts(context, context.Data.ShuffleRows(data, seed: 11, shufflePoolSize: 100)));
        CollectionAssert.AreNotEqual(shuffled, Counts(context, context.Data.ShuffleRows(data, seed: 12, shufflePoolSize: 100)));
    }

    [TestMethod]
    public void ShuffleHoldsOnlyItsPool()
    {
        var context = new TransformersContext(7);
        var data = context.Data.LoadFromEnumerable(BatchMapperTests.Rows(5000));

        var shuffled = Counts(context, context.Data.ShuffleRows(data, seed: 1, shufflePoolSize: 10));

        // Row i can only be served once rows up to i + pool size have been read, and not before it was read.
        for (int position = 0; position < shuffled.Length; position++)
            Assert.IsLessThanOrEqualTo(position + 10, shuffled[position], $"row {shuffled[position]} served at {position}");
    }

    [TestMethod]
    public void TakeAndSkipSelectPositionsAndTakeStopsReading()
    {
        var context = new TransformersContext(7);
        var data = context.Data.LoadFromEnumerable(BatchMapperTests.Rows(100));
        static IEnumerable<FeatureRow> FailingAfterFiveRows()
        {
            foreach (var row in BatchMapperTests.Rows(5)) yield return row;
            throw new InvalidOperationException("read past the rows taken");
        }

        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, Counts(context, context.Data.TakeRows(data, 3)));
        CollectionAssert.AreEqual(new[] { 97, 98, 99 }, Counts(context, context.Data.SkipRows(data, 97)));
        CollectionAssert.AreEqual(new[] { 10, 11 }, Counts(context, context.Data.TakeRows(context.Data.SkipRows(data, 10), 2)));
        Assert.IsEmpty(Counts(context, context.Data.SkipRows(data, 500)));
        Assert.AreEqual(3L, context.Data.TakeRows(data, 3).GetRowCount());
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 4 }, Counts(context, context.Data.TakeRows(context.Data.LoadFromEnumerable(FailingAfterFiveRows()), 5)));
    }

    [TestMethod]
    public void ContextSeedMakesUnseededOperationsRepeatable()
    {
        int[] Run(int seed)
        {
            var context = new TransformersContext(seed);
            var data = context.Data.LoadFromEnumerable(BatchMapperTests.Rows(500));
            return Counts(context, context.Data.ShuffleRows(context.Data.TrainTestSplit(data).TrainSet));
        }

        CollectionAssert.AreEqual(Run(5), Run(5));
        CollectionAssert.AreNotEqual(Run(5), Run(6));
    }
}
