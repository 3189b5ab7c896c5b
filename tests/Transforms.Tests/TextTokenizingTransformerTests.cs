using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Tokenizers;
using MLNet.Transformers.Pipeline;
using MLNet.Transformers.Tokenizers.Interop;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// The tokenization transform on the fixture vocabulary, where every word is one token: ids are [CLS] (2), each
/// word's line number in vocab.txt, [SEP] (3); pairs get type id 1 on the second text. Given a
/// <c>Microsoft.ML.Tokenizers</c> tokenizer (<see cref="TextTokenizingOptions.Tokenizer"/>) the special tokens and type
/// ids come from the path's files; ours loaded from files needs no path and saves.
/// </summary>
[TestClass]
public sealed class TextTokenizingTransformerTests
{
    private const int Cls = 2, Sep = 3;

    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Other { get; set; } = "";
    }

    private sealed class Tokens
    {
        public int[] Ids { get; set; } = [];
        public int[] AttentionMask { get; set; } = [];
        public int[] TokenTypeIds { get; set; } = [];
    }

    private static List<Tokens> Read(MLContext ml, IDataView view) => [.. ml.Data.CreateEnumerable<Tokens>(view, reuseRowObject: false)];

    private static string VocabTxt => Path.Combine(EmbedFixture.ModelDirectory, "vocab.txt");

    private static readonly string[] Vocabulary = File.ReadAllLines(VocabTxt);

    private static int[] WordIds(string text) => [.. text.Split(' ').Select(w => Array.IndexOf(Vocabulary, w))];

    [TestMethod]
    public void IdsMaskAndTypesFollowTheVocabularyAndTruncationApplies()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(EmbedFixture.Texts.Select(t => new Row { Text = t }));
        var options = new TextTokenizingOptions { TokenizerPath = Path.Combine(EmbedFixture.ModelDirectory, "vocab.txt"), MaximumTokens = 10, BatchSize = 4 };

        var rows = Read(ml, ml.Transforms.Text.TokenizeForTransformer("Ids", "Text", options).Fit(data).Transform(data));

        Assert.HasCount(EmbedFixture.Texts.Length, rows);
        for (var i = 0; i < rows.Count; i++)
        {
            int[] expected = [Cls, .. WordIds(EmbedFixture.Texts[i]).Take(8), Sep];
            CollectionAssert.AreEqual(expected, rows[i].Ids, $"row {i}");
            CollectionAssert.AreEqual(Enumerable.Repeat(1, expected.Length).ToArray(), rows[i].AttentionMask);
            CollectionAssert.AreEqual(new int[expected.Length], rows[i].TokenTypeIds);
        }
    }

    [TestMethod]
    public void PairsGetSecondSegmentTypesAndSurviveASaveLoadRoundTrip()
    {
        var ml = new MLContext(seed: 1);
        var data = Pairs(ml);
        var options = new TextTokenizingOptions { TokenizerPath = EmbedFixture.ModelDirectory };
        var model = ml.Transforms.Text.TokenizeForTransformer("Ids", "Text", options, pairColumnName: "Other").Fit(data);
        using var file = new TempFile(".zip");

        ml.Model.Save(model, data.Schema, file.Path);

        AssertPairTokens(ml, new MLContext(seed: 1).Model.Load(file.Path, out _).Transform(data), "loaded");
    }

    private static IDataView Pairs(MLContext ml) =>
        ml.Data.LoadFromEnumerable(EmbedFixture.Pairs.Select(p => new Row { Text = p.Text, Other = p.Pair }));

    /// <summary>[CLS] text [SEP] pair [SEP], type id 1 on the pair's part.</summary>
    private static void AssertPairTokens(MLContext ml, IDataView view, string what)
    {
        var rows = Read(ml, view);
        Assert.HasCount(EmbedFixture.Pairs.Length, rows);
        for (var i = 0; i < rows.Count; i++)
        {
            var (a, b) = (WordIds(EmbedFixture.Pairs[i].Text), WordIds(EmbedFixture.Pairs[i].Pair));
            CollectionAssert.AreEqual((int[])[Cls, .. a, Sep, .. b, Sep], rows[i].Ids, $"{what}: row {i}");
            CollectionAssert.AreEqual((int[])[.. new int[a.Length + 2], .. Enumerable.Repeat(1, b.Length + 1)], rows[i].TokenTypeIds, $"{what}: row {i}");
        }
    }

    [TestMethod]
    public void MicrosoftsBertTokenizerGetsThePathsSpecialTokensAndTypeIds()
    {
        var ml = new MLContext(seed: 1);
        var data = Pairs(ml);
        var options = new TextTokenizingOptions { TokenizerPath = VocabTxt, Tokenizer = BertTokenizer.Create(VocabTxt) };

        var model = ml.Transforms.Text.TokenizeForTransformer("Ids", "Text", options, pairColumnName: "Other").Fit(data);

        AssertPairTokens(ml, model.Transform(data), "Microsoft's BertTokenizer");
    }

    [TestMethod]
    public void OurTokenizerLoadedFromFilesNeedsNoPathAndSurvivesASaveLoadRoundTrip()
    {
        var ml = new MLContext(seed: 1);
        var data = Pairs(ml);
        var options = new TextTokenizingOptions { Tokenizer = HuggingFaceTokenizer.Load(VocabTxt) };
        var model = ml.Transforms.Text.TokenizeForTransformer("Ids", "Text", options, pairColumnName: "Other").Fit(data);
        using var file = new TempFile(".zip");

        ml.Model.Save(model, data.Schema, file.Path);

        AssertPairTokens(ml, new MLContext(seed: 2).Model.Load(file.Path, out _).Transform(data), "loaded");
    }

    [TestMethod]
    public void AMicrosoftTokenizerWithoutAPathIsRefusedNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var estimator = ml.Transforms.Text.TokenizeForTransformer("Ids", "Text",
            new TextTokenizingOptions { Tokenizer = BertTokenizer.Create(VocabTxt) }, pairColumnName: "Other");

        var error = Assert.ThrowsExactly<ArgumentException>(() => estimator.Fit(Pairs(ml)));

        StringAssert.Contains(error.Message, "TextTokenizingOptions.TokenizerPath is not set");
    }

    [TestMethod]
    public void PaddingToTheMaximumGivesKnownSizeColumnsFilledWithThePadTokenAndSurvivesASaveLoadRoundTrip()
    {
        const int maximum = 10, padId = 4; // [PAD] and [MASK] swapped: padding must use the vocabulary's [PAD], not id 0
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(EmbedFixture.Texts.Select(t => new Row { Text = t }));
        var folder = Directory.CreateTempSubdirectory("mlnet-vocabulary-").FullName;
        var vocabulary = Path.Combine(folder, "vocab.txt");
        File.WriteAllLines(vocabulary, [.. Vocabulary.Select(token => token switch { "[PAD]" => "[MASK]", "[MASK]" => "[PAD]", _ => token })]);
        var options = new TextTokenizingOptions { TokenizerPath = vocabulary, MaximumTokens = maximum, PadToMaximumTokens = true, BatchSize = 4 };
        var model = ml.Transforms.Text.TokenizeForTransformer("Ids", "Text", options).Fit(data);
        Directory.Delete(folder, recursive: true);
        using var file = new TempFile(".zip");
        ml.Model.Save(model, data.Schema, file.Path);

        foreach (var (view, what) in new[] { (model.Transform(data), "fitted"), (new MLContext(seed: 1).Model.Load(file.Path, out _).Transform(data), "loaded") })
        {
            foreach (var name in new[] { "Ids", "AttentionMask", "TokenTypeIds" })
                Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Int32, maximum), view.Schema[name].Type, $"{what}: {name}");
            var rows = Read(ml, view);
            for (var i = 0; i < rows.Count; i++)
            {
                int[] tokens = [Cls, .. WordIds(EmbedFixture.Texts[i]).Take(maximum - 2), Sep];
                var padding = maximum - tokens.Length;
                CollectionAssert.AreEqual((int[])[.. tokens, .. Enumerable.Repeat(padId, padding)], rows[i].Ids, $"{what}: row {i}");
                CollectionAssert.AreEqual((int[])[.. Enumerable.Repeat(1, tokens.Length), .. new int[padding]], rows[i].AttentionMask, $"{what}: row {i}");
                CollectionAssert.AreEqual(new int[maximum], rows[i].TokenTypeIds, $"{what}: row {i}");
            }
            Assert.IsTrue(rows.Any(r => r.AttentionMask[^1] == 0), "some rows are padded");
        }
    }

    [TestMethod]
    public void PaddingWithoutAMaximumIsRefused()
    {
        var ml = new MLContext(seed: 1);

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.Text.TokenizeForTransformer("Ids", "Text",
            new TextTokenizingOptions { TokenizerPath = EmbedFixture.ModelDirectory, PadToMaximumTokens = true }));

        StringAssert.Contains(error.Message, nameof(TextTokenizingOptions.MaximumTokens));
    }

    [TestMethod]
    public void AMissingTokenizerIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Text = "good" } });
        var estimator = ml.Transforms.Text.TokenizeForTransformer("Ids", "Text", new TextTokenizingOptions { TokenizerPath = "missing-vocab.txt" });

        var error = Assert.ThrowsExactly<FileNotFoundException>(() => estimator.Fit(data));
        StringAssert.Contains(error.Message, "missing-vocab.txt");
    }

    [TestMethod]
    public void TheShapeAddsThreeVariableSizeIdColumnsAndAMissingColumnIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Text = "good" } });
        var options = new TextTokenizingOptions { TokenizerPath = EmbedFixture.ModelDirectory, TypeIdsColumnName = "Segments" };

        var shape = ml.Transforms.Text.TokenizeForTransformer("Ids", "Text", options).GetOutputSchema(SchemaShape.Create(data.Schema));

        foreach (var name in new[] { "Ids", "AttentionMask", "Segments" })
        {
            Assert.IsTrue(shape.TryFindColumn(name, out var column), name);
            Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, column.Kind, name);
            Assert.AreEqual(NumberDataViewType.Int32, column.ItemType, name);
        }
        var error = Assert.ThrowsExactly<SchemaException>(() => ml.Transforms.Text.TokenizeForTransformer("Ids", "Body", options).Fit(data));
        StringAssert.Contains(error.Message, "'Body'");
        StringAssert.Contains(error.Message, "TokenizeForTransformer");
    }
}
