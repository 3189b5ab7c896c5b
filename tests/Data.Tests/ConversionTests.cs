namespace MLNet.Transformers.Data.Tests;

[TestClass]
public sealed class ConversionTests
{
    private static readonly TransformersContext Context = new(seed: 1);

    private static IDataView Labels(params string[] labels) =>
        Context.Data.LoadFromEnumerable(labels.Select(l => new LabeledText { Text = "t-" + l, Label = l }).ToArray());

    private static uint[] Keys(IDataView view, string column)
    {
        var col = view.Schema[column];
        var keys = new List<uint>();
        using var cursor = view.GetRowCursor([col]);
        var getter = cursor.GetGetter<uint>(col);
        uint key = 0;
        while (cursor.MoveNext())
        {
            getter(ref key);
            keys.Add(key);
        }
        return [.. keys];
    }

    [TestMethod]
    public void KeysFollowFirstOccurrenceAndCarryTheirValues()
    {
        var data = Labels("dog", "cat", "dog", "bird");

        var keyed = Context.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(data).Transform(data);

        CollectionAssert.AreEqual(new uint[] { 1, 2, 1, 3 }, Keys(keyed, "LabelKey"));
        Assert.AreEqual(new KeyDataViewType(3), keyed.Schema["LabelKey"].Type);
        CollectionAssert.AreEqual(new[] { "dog", "cat", "bird" }, keyed.Schema["LabelKey"].GetKeyValueNames());
    }

    [TestMethod]
    public void ByValueOrdinalitySortsAndUnseenValuesGetKeyZero()
    {
        var transformer = Context.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue).Fit(Labels("dog", "cat", "bird"));

        var keys = Keys(transformer.Transform(Labels("cat", "fish", "dog")), "Label");

        CollectionAssert.AreEqual(new uint[] { 2, 0, 3 }, keys);
    }

    [TestMethod]
    public void KeyToValueRestoresTheOriginalValues()
    {
        var data = Labels("b", "a", "b", "c");
        var pipeline = Context.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
            .Append(Context.Transforms.Conversion.MapKeyToValue("LabelBack", "LabelKey"));

        var output = pipeline.Fit(data).Transform(data);

        var rows = Context.Data.CreateEnumerable<TextPrediction>(output, reuseRowObject: false).ToArray();
        CollectionAssert.AreEqual(new[] { "b", "a", "b", "c" }, rows.Select(r => r.LabelBack).ToArray());
        CollectionAssert.AreEqual(new uint[] { 1, 2, 1, 3 }, rows.Select(r => r.LabelKey).ToArray());
    }

    public sealed class Numbered
    {
        public int Code { get; set; }
    }

    public sealed class NumberedBack
    {
        public int Back { get; set; }
    }

    [TestMethod]
    public void NumbersMapToKeysAndBackAsNumbers()
    {
        var data = Context.Data.LoadFromEnumerable(new[] { 40, 7, 40 }.Select(c => new Numbered { Code = c }).ToArray());
        var pipeline = Context.Transforms.Conversion.MapValueToKey("Key", "Code").Append(Context.Transforms.Conversion.MapKeyToValue("Back", "Key"));

        var output = pipeline.Fit(data).Transform(data);

        Assert.AreEqual(NumberDataViewType.Int32, output.Schema["Back"].Type);
        CollectionAssert.AreEqual(new[] { "40", "7" }, output.Schema["Key"].GetKeyValueNames());
        CollectionAssert.AreEqual(new[] { 40, 7, 40 }, Context.Data.CreateEnumerable<NumberedBack>(output, reuseRowObject: false).Select(r => r.Back).ToArray());
    }

    [TestMethod]
    public void TransformIsLazy()
    {
        var source = new CountingEnumerable<LabeledText>([new() { Label = "a" }, new() { Label = "b" }]);
        var data = Context.Data.LoadFromEnumerable(source);
        var transformer = Context.Transforms.Conversion.MapValueToKey("Label").Fit(data);
        int afterFit = source.Enumerations;

        var output = transformer.Transform(data);

        Assert.AreEqual(afterFit, source.Enumerations, "Transform read rows");
        Assert.HasCount(2, Keys(output, "Label"));
        Assert.AreEqual(afterFit + 1, source.Enumerations);
    }

    [TestMethod]
    public void AChainChecksEverySchemaBeforeFittingAnything()
    {
        var source = new CountingEnumerable<LabeledText>([new() { Label = "a" }]);
        var data = Context.Data.LoadFromEnumerable(source);
        var pipeline = Context.Transforms.Conversion.MapValueToKey("Label")
            .Append(Context.Transforms.Conversion.MapValueToKey("Key", "Category"));

        var error = Assert.ThrowsExactly<SchemaException>(() => pipeline.Fit(data));

        StringAssert.Contains(error.Message, "'Category'");
        StringAssert.Contains(error.Message, "MapValueToKey");
        Assert.AreEqual(0, source.Enumerations, "a row was read before the schema error");
    }

    [TestMethod]
    public void AMistypedColumnFailsAtTransformNamingIt()
    {
        var transformer = Context.Transforms.Conversion.MapKeyToValue("Back", "Label").Fit(
            Context.Transforms.Conversion.MapValueToKey("Label").Fit(Labels("a")).Transform(Labels("a")));

        var error = Assert.ThrowsExactly<SchemaException>(() => transformer.Transform(Labels("a")));

        StringAssert.Contains(error.Message, "Column 'Label' (input of MapKeyToValue) must be a key column with key values, but is Text");
    }

    /// <summary>A sequence that counts how often it is enumerated.</summary>
    public sealed class CountingEnumerable<T>(IReadOnlyList<T> items) : IEnumerable<T>
    {
        public int Enumerations { get; private set; }

        public IEnumerator<T> GetEnumerator()
        {
            Enumerations++;
            return items.GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
