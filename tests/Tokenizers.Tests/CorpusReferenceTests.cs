using System.Diagnostics;
using System.Text.Json;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>
/// Whole corpora against Hugging Face tokenizers: every encoding's ids, type ids and offsets, through hashes pinned
/// in <c>fixtures/corpus-hashes.json</c>, and line by line against the live reference when it is installed.
/// </summary>
[TestClass]
public sealed class CorpusReferenceTests
{
    public static IEnumerable<object[]> PinnedEntries()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("corpus-hashes.json")));
        foreach (var entry in document.RootElement.GetProperty("entries").EnumerateArray())
            yield return [entry.GetProperty("tokenizer").GetString()!, entry.GetProperty("corpus").GetString()!,
                entry.GetProperty("kind").GetString()!, entry.GetProperty("texts_sha256").GetString()!,
                entry.GetProperty("count").GetInt32(), entry.GetProperty("sha256").GetString()!];
    }

    [TestMethod]
    [DynamicData(nameof(PinnedEntries))]
    public void Corpus_encodings_hash_to_the_pinned_reference(string tokenizerName, string corpus, string kind, string textsSha256, int count, string sha256)
    {
        var texts = ReferenceCorpora.Texts(corpus);
        Assert.AreEqual(textsSha256, CanonicalEncoding.Sha256(texts.Select(text => text + "\n")),
            $"{corpus}: the corpus texts are not those the reference encoded (changed data or corpus definition)");
        var lines = CanonicalEncoding.Lines(ReferenceTokenizers.Create(tokenizerName), texts, kind);

        Assert.HasCount(count, lines, $"{corpus}: number of {kind} encodings");
        if (CanonicalEncoding.Sha256(lines) == sha256) return;
        var detail = Fixtures.ReferenceInstalled ? FirstDifference(tokenizerName, corpus, kind, lines, texts) : "install the node reference to see the first differing text";
        Assert.Fail($"{tokenizerName} on {corpus} ({kind}) differs from Hugging Face tokenizers: {detail}");
    }

    [TestMethod]
    [DataRow("bert-vocab", "single")]
    [DataRow("gpt2", "single")]
    [DataRow("roberta", "pair")]
    public void Every_corpus_matches_the_live_reference(string tokenizerName, string kind)
    {
        if (!Fixtures.ReferenceInstalled) Assert.Inconclusive("The node reference (tools/reference/install-node-references) is not installed.");
        var tokenizer = ReferenceTokenizers.Create(tokenizerName);
        foreach (var corpus in ReferenceCorpora.Names)
        {
            var texts = ReferenceCorpora.Texts(corpus);
            var ours = CanonicalEncoding.Lines(tokenizer, texts, kind);
            var theirs = RunReference(tokenizerName, corpus, kind);
            Assert.HasCount(theirs.Count, ours, $"{corpus}: number of encodings");
            var first = Enumerable.Range(0, ours.Count).FirstOrDefault(i => ours[i] != theirs[i], -1);
            Assert.AreEqual(-1, first, first < 0 ? "" : Describe(corpus, first, texts, ours[first], theirs[first], kind));
        }
    }

    private static string FirstDifference(string tokenizerName, string corpus, string kind, IReadOnlyList<string> ours, IReadOnlyList<string> texts)
    {
        var theirs = RunReference(tokenizerName, corpus, kind);
        for (var i = 0; i < Math.Min(ours.Count, theirs.Count); i++)
            if (ours[i] != theirs[i]) return Describe(corpus, i, texts, ours[i], theirs[i], kind);
        return "the live reference agrees with us, so the pinned hash is stale: rerun tools/reference/tokenizers/write-fixtures.js";
    }

    private static string Describe(string corpus, int index, IReadOnlyList<string> texts, string ours, string theirs, string kind)
    {
        var input = kind == "single" ? texts[index] : $"{texts[2 * index]} ||| {texts[2 * index + 1]}";
        return $"{corpus} encoding {index} of \"{input}\":\n ours   {ours}\n theirs {theirs}";
    }

    internal static List<string> RunReference(string tokenizerName, string corpus, string kind)
    {
        var start = new ProcessStartInfo("node", [Fixtures.EncodeCorpusScript, tokenizerName, corpus, kind])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line) lines.Add(line + "\n");
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"the reference script failed: {errors.Result}");
        return lines;
    }
}
