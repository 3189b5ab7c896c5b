using MLNet.Transformers.Data;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// The tokenization transform on the fixture vocabulary, where every word is one token: ids are [CLS] (2), each
/// word's line number in vocab.txt, [SEP] (3); pairs get type id 1 on the second text.
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

    private sealed record Tokens(int[] Ids, int[] AttentionMask, int[] TokenTypeIds);

    /// <summary>The three Int32 vector columns of every row, read through a cursor.</summary>
    private static List<Tokens> Read(IDataView view)
    {
        var columns = new[] { "Ids", "AttentionMask", "TokenTypeIds" }.Select(name => view.Schema[name]).ToArray();
        using var cursor = view.GetRowCursor(columns);
        var getters = columns.Select(cursor.GetGetter<VBuffer<int>>).ToArray();
        var rows = new List<Tokens>();
        while (cursor.MoveNext())
        {
            var values = getters.Select(getter =>
            {
                VBuffer<int> value = default;
                getter(ref value);
                return value.GetValues().ToArray();
            }).ToArray();
            rows.Add(new Tokens(values[0], values[1], values[2]));
        }
        return rows;
    }

    private static readonly string[] Vocabulary = File.ReadAllLines(Path.Combine(EmbedFixture.ModelDirectory, "vocab.txt"));

    private static int[] WordIds(string text) => [.. text.Split(' ').Select(w => Array.IndexOf(Vocabulary, w))];

    [TestMethod]
    public void IdsMaskAndTypesFollowTheVocabularyAndTruncationApplies()
    {
        var context = new TransformersContext(seed: 1);
        var data = context.Data.LoadFromEnumerable(EmbedFixture.Texts.Select(t => new Row { Text = t }));
        var options = new TextTokenizingOptions { TokenizerPath = Path.Combine(EmbedFixture.ModelDirectory, "vocab.txt"), MaximumTokens = 10, BatchSize = 4 };

        var rows = Read(context.Transforms.Text.TokenizeText("Ids", "Text", options).Fit(data).Transform(data));

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
        var context = new TransformersContext(seed: 1);
        var data = context.Data.LoadFromEnumerable(EmbedFixture.Pairs.Select(p => new Row { Text = p.Text, Other = p.Pair }));
        var options = new TextTokenizingOptions { TokenizerPath = EmbedFixture.ModelDirectory };
        var model = context.Transforms.Text.TokenizeText("Ids", "Text", options, pairColumnName: "Other").Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"tokenizing-{Guid.NewGuid():N}.zip");
        try
        {
            context.Model.Save(model, data.Schema, path);
            var loaded = context.Model.Load(path, out _);
            var rows = Read(loaded.Transform(data));

            for (var i = 0; i < rows.Count; i++)
            {
                var (a, b) = (WordIds(EmbedFixture.Pairs[i].Text), WordIds(EmbedFixture.Pairs[i].Pair));
                CollectionAssert.AreEqual((int[])[Cls, .. a, Sep, .. b, Sep], rows[i].Ids, $"row {i}");
                CollectionAssert.AreEqual((int[])[.. new int[a.Length + 2], .. Enumerable.Repeat(1, b.Length + 1)], rows[i].TokenTypeIds, $"row {i}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AMissingTokenizerIsNamed()
    {
        var context = new TransformersContext(seed: 1);
        var data = context.Data.LoadFromEnumerable(new[] { new Row { Text = "good" } });
        var estimator = context.Transforms.Text.TokenizeText("Ids", "Text", new TextTokenizingOptions { TokenizerPath = "missing-vocab.txt" });

        var error = Assert.ThrowsExactly<FileNotFoundException>(() => estimator.Fit(data));
        StringAssert.Contains(error.Message, "missing-vocab.txt");
    }
}
