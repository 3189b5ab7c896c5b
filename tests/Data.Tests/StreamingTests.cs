using System.Globalization;

namespace MLNet.Transformers.Data.Tests;

/// <summary>A text loader streams: a cursor reads a bounded window of the file and keeps no rows behind it.</summary>
[TestClass]
public sealed class StreamingTests
{
    private const int Rows = 200_000;

    public sealed class Row
    {
        [LoadColumn(0)]
        public string Label { get; set; } = "";

        [LoadColumn(1)]
        public string Text { get; set; } = "";

        [LoadColumn(2)]
        public float Value { get; set; }
    }

    /// <summary>A source over generated text that counts the bytes it has handed out.</summary>
    private sealed class CountingSource(byte[] content) : IMultiStreamSource
    {
        public long BytesRead => Stream?.Position ?? 0;
        private MemoryStream? Stream { get; set; }
        public int Count => 1;
        public string? GetPathOrNull(int index) => null;
        public Stream Open(int index) => Stream = new MemoryStream(content, writable: false);
    }

    private static byte[] Generate()
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < Rows; i++)
            text.Append(CultureInfo.InvariantCulture, $"c{i % 7}\tthis is row number {i} of the generated file\t{i * 0.5}\n");
        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }

    [TestMethod]
    public void ACursorReadsOnlyAWindowOfTheFile()
    {
        var content = Generate();
        var source = new CountingSource(content);
        var view = TextLoader.CreateFor<Row>(new TextLoader.Options()).Load(source);
        using var cursor = view.GetRowCursor(view.Schema);

        for (int i = 0; i < 10; i++) Assert.IsTrue(cursor.MoveNext());

        Assert.IsLessThan(256 * 1024L, source.BytesRead, $"read {source.BytesRead} of {content.Length} bytes for 10 rows");
        Assert.IsGreaterThan(8L << 20, (long)content.Length);
    }

    [TestMethod]
    public void MemoryStaysFlatAcrossTheWholeFile()
    {
        var view = TextLoader.CreateFor<Row>(new TextLoader.Options()).Load(new CountingSource(Generate()));
        var context = new TransformersContext(1);
        var keyed = context.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
        var label = keyed.Schema["Label"];
        long early = 0, late = 0, count = 0;
        using (var cursor = keyed.GetRowCursor([label, keyed.Schema["Value"]]))
        {
            var getter = cursor.GetGetter<uint>(label);
            uint key = 0;
            while (cursor.MoveNext())
            {
                getter(ref key);
                count++;
                if (count == Rows / 10) early = GC.GetTotalMemory(forceFullCollection: true);
                if (count == Rows * 9 / 10) late = GC.GetTotalMemory(forceFullCollection: true);
            }
        }

        Assert.AreEqual(Rows, count);
        Assert.IsLessThan(256 * 1024L, late - early, $"live memory grew by {late - early} bytes over 80% of the rows");
    }
}
