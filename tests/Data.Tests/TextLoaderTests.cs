namespace MLNet.Transformers.Data.Tests;

[TestClass]
public sealed class TextLoaderTests
{
    public sealed class Review
    {
        [LoadColumn(0)]
        public bool Label { get; set; }

        [LoadColumn(1)]
        public string Text { get; set; } = "";

        [LoadColumn(2)]
        public float Rating { get; set; }
    }

    public sealed class ByHeaderName
    {
        public string Text { get; set; } = "";

        [ColumnName("Rating")]
        public float Stars { get; set; }
    }

    public sealed class WithVector
    {
        [LoadColumn(0)]
        public string Name { get; set; } = "";

        [LoadColumn(1, 3), VectorType(3)]
        public float[] Features { get; set; } = [];
    }

    private static readonly TransformersContext Context = new(seed: 1);

    [TestMethod]
    public void ReadsTsvWithHeaderByFieldIndex()
    {
        using var dir = new TempDirectory();
        var path = dir.File("reviews.tsv", "label\ttext\trating\n1\tgreat film\t4.5\n0\tdull\t\n");

        var rows = Context.Data.CreateEnumerable<Review>(Context.Data.LoadFromTextFile<Review>(path, hasHeader: true), reuseRowObject: false).ToArray();

        Assert.HasCount(2, rows);
        Assert.IsTrue(rows[0].Label);
        Assert.AreEqual("great film", rows[0].Text);
        Assert.AreEqual(4.5f, rows[0].Rating);
        Assert.IsFalse(rows[1].Label);
        Assert.IsTrue(float.IsNaN(rows[1].Rating), "an empty float field is NaN");
    }

    [TestMethod]
    public void ReadsQuotedCsvWithSeparatorsQuotesAndLineBreaksInside()
    {
        using var dir = new TempDirectory();
        var path = dir.File("reviews.csv", "label,text,rating\n1,\"good, \"\"really\"\" good\",5\n0,\"two\nlines\",1\n1,plain,2\n");

        var rows = Context.Data.CreateEnumerable<Review>(
            Context.Data.LoadFromTextFile<Review>(path, separatorChar: ',', hasHeader: true, allowQuoting: true), reuseRowObject: false).ToArray();

        CollectionAssert.AreEqual(new[] { "good, \"really\" good", "two\nlines", "plain" }, rows.Select(r => r.Text).ToArray());
        CollectionAssert.AreEqual(new[] { 5f, 1f, 2f }, rows.Select(r => r.Rating).ToArray());
    }

    [TestMethod]
    public void MapsMembersWithoutLoadColumnByHeaderName()
    {
        using var dir = new TempDirectory();
        var path = dir.File("reviews.tsv", "Rating\tText\n3\tok\n");

        var row = Context.Data.CreateEnumerable<ByHeaderName>(Context.Data.LoadFromTextFile<ByHeaderName>(path, hasHeader: true), reuseRowObject: false).Single();

        Assert.AreEqual("ok", row.Text);
        Assert.AreEqual(3f, row.Stars);
    }

    [TestMethod]
    public void ReadsAFieldRangeAsAFixedSizeVector()
    {
        using var dir = new TempDirectory();
        var path = dir.File("vectors.tsv", "a\t1\t2\t3\nb\t4\t5\t6.5\n");

        var view = Context.Data.LoadFromTextFile<WithVector>(path);
        var rows = Context.Data.CreateEnumerable<WithVector>(view, reuseRowObject: false).ToArray();

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), view.Schema["Features"].Type);
        CollectionAssert.AreEqual(new[] { 4f, 5f, 6.5f }, rows[1].Features);
    }

    [TestMethod]
    public void ABadRowFailsWithItsFileLineAndReason()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.tsv", "label\ttext\trating\n1\tfine\t2\n0\tbroken\tabc\n1\tlater\t3\n");
        var view = Context.Data.LoadFromTextFile<Review>(path, hasHeader: true);

        var error = Assert.ThrowsExactly<BadRowException>(() => Context.Data.CreateEnumerable<Review>(view, reuseRowObject: false).ToArray());

        Assert.AreEqual(3, error.LineNumber);
        Assert.AreEqual(path, error.Path);
        StringAssert.Contains(error.Message, "'Rating'");
        StringAssert.Contains(error.Message, "'abc' is not a valid Single");
    }

    [TestMethod]
    public void SkippedBadRowsAreReportedAndLeftOut()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.csv", "label,text,rating\n1,fine,2\n0,short\n1,\"never closed,3\n");
        var reported = new List<BadRowException>();
        var options = new TextLoader.Options { Separators = [','], HasHeader = true, AllowQuoting = true, BadRows = BadRowHandling.Skip, OnBadRow = reported.Add };

        var rows = Context.Data.CreateEnumerable<Review>(Context.Data.LoadFromTextFile<Review>(path, options), reuseRowObject: false).ToArray();

        Assert.AreEqual("fine", rows.Single().Text);
        CollectionAssert.AreEqual(new long[] { 3, 4 }, reported.Select(e => e.LineNumber).ToArray());
        StringAssert.Contains(reported[0].Reason, "reads field 3, but the row has 2 fields");
        StringAssert.Contains(reported[1].Reason, "never closed");
    }

    [TestMethod]
    public void ColumnsNotAskedForAreNeverParsed()
    {
        using var dir = new TempDirectory();
        var path = dir.File("mixed.tsv", "1\tok\tnot-a-number\n0\tfine\talso-bad\n");
        var view = Context.Data.LoadFromTextFile<Review>(path);
        var text = view.Schema["Text"];

        var values = new List<string>();
        using (var cursor = view.GetRowCursor([text]))
        {
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(text);
            var value = default(ReadOnlyMemory<char>);
            while (cursor.MoveNext())
            {
                getter(ref value);
                values.Add(value.ToString());
            }
            Assert.IsFalse(cursor.IsColumnActive(view.Schema["Rating"]));
        }

        CollectionAssert.AreEqual(new[] { "ok", "fine" }, values);
    }

    [TestMethod]
    public void AColumnMissingFromTheHeaderFailsAtLoadNamingIt()
    {
        using var dir = new TempDirectory();
        var path = dir.File("reviews.tsv", "Text\tScore\nok\t3\n");

        var error = Assert.ThrowsExactly<SchemaException>(() => Context.Data.LoadFromTextFile<ByHeaderName>(path, hasHeader: true));

        StringAssert.Contains(error.Message, "'Rating'");
        StringAssert.Contains(error.Message, "Text, Score");
    }

    [TestMethod]
    public void WithoutColumnsEveryHeaderFieldIsText()
    {
        using var dir = new TempDirectory();
        var path = dir.File("any.csv", "id,comment\n7,\"a, b\"\n");

        var view = Context.Data.LoadFromTextFile(path, new TextLoader.Options { Separators = [','], HasHeader = true, AllowQuoting = true });

        Assert.AreEqual("id: Text, comment: Text", view.Schema.ToString());
        var row = Context.Data.CreateEnumerable<IdComment>(view, reuseRowObject: false).Single();
        Assert.AreEqual("a, b", row.Comment);
    }

    public sealed class IdComment
    {
        [ColumnName("id")]
        public string Id { get; set; } = "";

        [ColumnName("comment")]
        public string Comment { get; set; } = "";
    }
}
