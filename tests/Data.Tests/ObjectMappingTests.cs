namespace MLNet.Transformers.Data.Tests;

[TestClass]
public sealed class ObjectMappingTests
{
    private static readonly TransformersContext Context = new(seed: 1);

    [TestMethod]
    public void SchemaFollowsMembersAndAttributes()
    {
        var view = Context.Data.LoadFromEnumerable(new[] { new FeatureRow() });

        Assert.AreEqual("Label: Text, Features: Vector<Single, 3>, Count: Int32, Flag: Boolean", view.Schema.ToString());
        Assert.AreEqual(1L, view.GetRowCount());
        var keyed = Context.Data.LoadFromEnumerable(new[] { new KeyedRow() });
        Assert.AreEqual("Key: Key<3>, Values: Vector<Single>", keyed.Schema.ToString());
    }

    [TestMethod]
    public void ObjectsRoundTripThroughAView()
    {
        var rows = new[]
        {
            new FeatureRow { Category = "a", Features = [1, 2, 3], Count = 4, Flag = true },
            new FeatureRow { Category = "b", Features = [5, 6, 7], Count = -1, Flag = false },
        };

        var back = Context.Data.CreateEnumerable<FeatureRow>(Context.Data.LoadFromEnumerable(rows), reuseRowObject: false).ToArray();

        Assert.HasCount(2, back);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.AreEqual(rows[i].Category, back[i].Category);
            CollectionAssert.AreEqual(rows[i].Features, back[i].Features);
            Assert.AreEqual(rows[i].Count, back[i].Count);
            Assert.AreEqual(rows[i].Flag, back[i].Flag);
        }
    }

    [TestMethod]
    public void ReusedRowObjectIsRefilled()
    {
        var rows = new[] { new LabeledText { Text = "x", Label = "1" }, new LabeledText { Text = "y", Label = "2" } };

        var seen = Context.Data.CreateEnumerable<LabeledText>(Context.Data.LoadFromEnumerable(rows), reuseRowObject: true)
            .Select(r => (Object: r, r.Text)).ToArray();

        Assert.AreSame(seen[0].Object, seen[1].Object);
        CollectionAssert.AreEqual(new[] { "x", "y" }, seen.Select(s => s.Text).ToArray());
    }

    [TestMethod]
    public void AMissingOrMistypedColumnIsNamed()
    {
        var view = Context.Data.LoadFromEnumerable(new[] { new LabeledText() });

        var missing = Assert.ThrowsExactly<SchemaException>(() => Context.Data.CreateEnumerable<FeatureRow>(view, reuseRowObject: false));
        StringAssert.Contains(missing.Message, "'Features'");
        var keyed = Context.Data.LoadFromEnumerable(new[] { new KeyedRow() });
        var mistyped = Assert.ThrowsExactly<SchemaException>(() => Context.Data.CreateEnumerable<WrongKey>(keyed, reuseRowObject: false));
        StringAssert.Contains(mistyped.Message, "'Key'");
        StringAssert.Contains(mistyped.Message, "Key<3>");
    }

    [TestMethod]
    public void AVectorOfTheWrongSizeIsRefused()
    {
        var view = Context.Data.LoadFromEnumerable(new[] { new FeatureRow { Features = [1, 2] } });

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Context.Data.CreateEnumerable<FeatureRow>(view, reuseRowObject: false).ToArray());

        StringAssert.Contains(error.Message, "FeatureRow.Features holds 2 items");
    }

    [TestMethod]
    public void AGetterOfTheWrongTypeSaysWhichTypeTheColumnHas()
    {
        var view = Context.Data.LoadFromEnumerable(new[] { new FeatureRow() });
        using var cursor = view.GetRowCursor(view.Schema);

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<float>(view.Schema["Count"]));

        StringAssert.Contains(error.Message, "'Count' is Int32");
    }

    [TestMethod]
    public void PreviewShowsTheFirstRowsAsPlainValues()
    {
        var view = Context.Data.LoadFromEnumerable(new[]
        {
            new FeatureRow { Category = "a", Features = [1, 2, 3], Count = 4, Flag = true },
            new FeatureRow { Category = "b", Features = [5, 6, 7], Count = 8, Flag = false },
        });

        var preview = view.Preview(maxRows: 1);

        Assert.HasCount(1, preview.RowView);
        Assert.AreEqual("Label: a, Features: [1, 2, 3], Count: 4, Flag: True", preview.RowView[0].ToString());
        Assert.AreEqual("Count", preview.ColumnView[2].Column.Name);
        Assert.AreEqual(4, preview.ColumnView[2].Values[0]);
    }

    public sealed class UnsupportedMember
    {
        public double Price { get; set; }
    }

    [TestMethod]
    public void AnUnsupportedMemberTypeIsNamed()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Context.Data.LoadFromEnumerable(new[] { new UnsupportedMember() }));

        StringAssert.Contains(error.Message, "UnsupportedMember.Price is Double");
    }

    public sealed class WrongKey
    {
        public string Key { get; set; } = "";
    }
}
