namespace MLNet.Transformers.Data.Tests;

[TestClass]
public sealed class ArrayDataViewTests
{
    private static readonly TransformersContext Context = new(seed: 1);

    public sealed class Renamed
    {
        public string review { get; set; } = "";
        public string Text { get; set; } = "";
        public float stars { get; set; }
        public uint LabelKey { get; set; }
    }

    [TestMethod]
    public void ColumnsNamedAtRunTimeFeedAPipelineAndCopiesSurviveSaving()
    {
        var data = new ArrayDataViewBuilder()
            .AddColumn("review", ["fine", "awful", "fine"])
            .AddColumn("stars", [4f, 1f, 5f])
            .GetDataView();
        var pipeline = Context.Transforms.CopyColumns("Text", "review")
            .Append(Context.Transforms.Conversion.MapValueToKey("LabelKey", "Text"));
        var model = pipeline.Fit(data);
        using var dir = new TempDirectory();
        var path = dir.File("model.zip");
        Context.Model.Save(model, data.Schema, path);

        var rows = Context.Data.CreateEnumerable<Renamed>(Context.Model.Load(path, out var schema).Transform(data), reuseRowObject: false).ToArray();

        Assert.AreEqual("review: Text, stars: Single", schema.ToString());
        Assert.AreEqual(3L, data.GetRowCount());
        CollectionAssert.AreEqual(new[] { "fine", "awful", "fine" }, rows.Select(r => r.Text).ToArray());
        CollectionAssert.AreEqual(new[] { 4f, 1f, 5f }, rows.Select(r => r.stars).ToArray());
        CollectionAssert.AreEqual(new uint[] { 1, 2, 1 }, rows.Select(r => r.LabelKey).ToArray());
    }

    [TestMethod]
    public void CopiesKeepKeyValues()
    {
        var data = new ArrayDataViewBuilder().AddColumn("Label", ["b", "a"]).GetDataView();
        var keyed = Context.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);

        var copied = Context.Transforms.CopyColumns("Copy", "Label").Fit(keyed).Transform(keyed);

        Assert.AreEqual(keyed.Schema["Label"].Type, copied.Schema["Copy"].Type);
        CollectionAssert.AreEqual(new[] { "b", "a" }, copied.Schema["Copy"].GetKeyValueNames());
    }

    [TestMethod]
    public void ColumnsOfDifferentLengthsAreRefused()
    {
        var builder = new ArrayDataViewBuilder().AddColumn("a", ["x", "y"]);

        var error = Assert.ThrowsExactly<ArgumentException>(() => builder.AddColumn("b", [1f]));

        StringAssert.Contains(error.Message, "Column 'b' has 1 rows; the columns before it have 2");
    }
}
