using Microsoft.ML;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// The transform is lazy and batched: nothing is read or computed until a cursor moves, and a cursor pulls rows from
/// its source a batch at a time (<see cref="TextEmbedder.DataParallelInputs"/> rows), not one model call per row.
/// </summary>
[TestClass]
public sealed class LazinessTests
{
    private const int Threads = 2;
    private const int BatchSize = 1;
    private const int Rows = 80; // two and a half cursor reads of BatchSize × 2 × Threads × SortWindowReads rows

    /// <summary>A source that counts the rows read from it.</summary>
    private sealed class CountingRows(IReadOnlyList<string> texts) : IEnumerable<Review>
    {
        private int _read;

        public int Read => Volatile.Read(ref _read);

        public IEnumerator<Review> GetEnumerator()
        {
            foreach (var text in texts)
            {
                Interlocked.Increment(ref _read);
                yield return new Review { Text = text };
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [TestMethod]
    public void NothingIsReadOrEmbeddedUntilACursorMovesThenRowsComeABatchAtATime()
    {
        var ml = new MLContext(seed: 1);
        string[] texts = [.. Enumerable.Range(0, Rows).Select(i => EmbedFixture.Texts[i % EmbedFixture.Texts.Length])];
        var source = new CountingRows(texts);
        var data = ml.Data.LoadFromEnumerable(source);
        var options = new TextEmbeddingOptions { ModelPath = EmbedFixture.ModelDirectory, BatchSize = BatchSize, DegreeOfParallelism = Threads };
        var batch = BatchSize * Parallelism.DataParallelItemsPerThread * Threads * TextEmbeddingTransformer.SortWindowReads; // rows per cursor read

        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", options).Fit(data);
        var transformed = model.Transform(data);
        using var cursor = transformed.GetRowCursor(transformed.Schema);

        Assert.AreEqual(0, source.Read, "fit, transform and opening a cursor read no row");
        Assert.AreEqual(0, model.TruncatedRowCount, "nor embed any");
        var readAfterEachRow = new List<int>();
        while (cursor.MoveNext()) readAfterEachRow.Add(source.Read);

        int[] expected = [.. Enumerable.Range(0, Rows).Select(row => Math.Min(Rows, (row / batch + 1) * batch))];
        CollectionAssert.AreEqual(expected, readAfterEachRow);
        Assert.AreEqual(texts.Count(EmbedFixture.IsLong), model.TruncatedRowCount, "every row embedded once");
    }

    [TestMethod]
    public void ACursorAskingOnlyForInputColumnsEmbedsNothing()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Review.Of(EmbedFixture.Texts));
        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", EmbedFixture.ModelDirectory).Fit(data);
        var transformed = model.Transform(data);

        using (var cursor = transformed.GetRowCursor([transformed.Schema["Text"]]))
            while (cursor.MoveNext()) { }

        Assert.AreEqual(0, model.TruncatedRowCount);
        Assert.IsPositive(EmbedFixture.LongTexts, "the fixture has texts that would be truncated if embedded");
    }
}
