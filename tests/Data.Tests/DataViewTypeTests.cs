namespace MLNet.Transformers.Data.Tests;

[TestClass]
public sealed class DataViewTypeTests
{
    public static IEnumerable<object[]> Types =>
    [
        [TextDataViewType.Instance], [BooleanDataViewType.Instance], [NumberDataViewType.Single], [NumberDataViewType.Int32],
        [new KeyDataViewType(7)], [new VectorDataViewType(NumberDataViewType.Single)], [new VectorDataViewType(NumberDataViewType.Single, 384)],
        [new VectorDataViewType(new KeyDataViewType(3), 2)],
    ];

    [TestMethod]
    [DynamicData(nameof(Types))]
    public void EveryTypeReadsBackFromItsTextForm(DataViewType type)
    {
        var parsed = DataViewTypeFormat.Parse(DataViewTypeFormat.Format(type));

        Assert.AreEqual(type, parsed);
        Assert.AreEqual(type.RawType, parsed.RawType);
    }

    [TestMethod]
    [DataRow("Double")]
    [DataRow("Key<0>")]
    [DataRow("Vector<Single, -1>")]
    [DataRow("Vector<Text")]
    public void TextThatIsNotATypeIsRefusedNamingIt(string text)
    {
        var error = Assert.ThrowsExactly<FormatException>(() => DataViewTypeFormat.Parse(text));

        StringAssert.Contains(error.Message, $"'{text}'");
    }

    [TestMethod]
    public void RawTypesFollowMlNet()
    {
        Assert.AreEqual(typeof(ReadOnlyMemory<char>), TextDataViewType.Instance.RawType);
        Assert.AreEqual(typeof(uint), new KeyDataViewType(2).RawType);
        Assert.AreEqual(typeof(VBuffer<float>), new VectorDataViewType(NumberDataViewType.Single, 4).RawType);
    }

    [TestMethod]
    public void ALaterColumnHidesAnEarlierOneOfTheSameName()
    {
        var schema = DataViewSchema.Create([new("A", TextDataViewType.Instance), new("B", BooleanDataViewType.Instance), new("A", NumberDataViewType.Single)]);

        Assert.IsTrue(schema[0].IsHidden);
        Assert.AreEqual(2, schema["A"].Index);
        Assert.AreEqual("B: Boolean, A: Single", schema.ToString());
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => schema["C"]);
        StringAssert.Contains(error.Message, "No column 'C' (columns: B, A)");
    }
}
