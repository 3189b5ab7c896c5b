using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.Normalization;
using MLNet.Transformers.Tokenizers.PreTokenization;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>
/// Every Unicode code point, between two letters, through the BERT normalizer + pre-tokenizer and the GPT-2
/// pre-tokenizer, against Hugging Face's output (pinned as a hash in <c>fixtures/unicode-classes.json</c>):
/// control, whitespace, punctuation, CJK, accent and case tables all agree with the reference.
/// </summary>
[TestClass]
public sealed class UnicodeClassTests
{
    [TestMethod]
    public void Every_code_point_is_cut_as_hugging_face_cuts_it()
    {
        using var pinned = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("unicode-classes.json")));
        var lines = Lines().ToList();

        Assert.HasCount(pinned.RootElement.GetProperty("count").GetInt32(), lines);
        if (CanonicalEncoding.Sha256(lines) == pinned.RootElement.GetProperty("sha256").GetString()) return;
        Assert.Fail(Fixtures.ReferenceInstalled ? FirstDifference(lines) : "differs from the pinned reference; install the node reference to see where");
    }

    private static IEnumerable<string> Lines()
    {
        var vocabulary = new Vocabulary([new("[UNK]", 0)]);
        var bert = new Tokenizer(new WordPieceModel(vocabulary), new BertNormalizer(), new BertPreTokenizer());
        var gpt2 = new Tokenizer(new WordPieceModel(vocabulary), preTokenizer: new ByteLevelPreTokenizer());
        for (var cp = 0; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF) continue;
            var text = "a" + char.ConvertFromUtf32(cp) + "b";
            yield return $"{cp.ToString("x", CultureInfo.InvariantCulture)}\t{string.Join('|', bert.PreTokenize(text))}\t{string.Join('|', gpt2.PreTokenize(text))}\n";
        }
    }

    private static string FirstDifference(List<string> ours)
    {
        var script = Path.Combine(TestPaths.RepoRoot, "tools", "reference", "tokenizers", "unicode-classes.js");
        using var process = Process.Start(new ProcessStartInfo("node", [script]) { RedirectStandardOutput = true, StandardOutputEncoding = Encoding.UTF8 })!;
        var differences = new StringBuilder();
        var index = 0;
        while (process.StandardOutput.ReadLine() is { } line && differences.Length < 20000)
        {
            if (index < ours.Count && ours[index] != line + "\n") differences.Append($"\n ours   {ours[index].TrimEnd()}\n theirs {line}");
            index++;
        }
        process.Kill();
        return $"code points cut differently from Hugging Face:{differences}";
    }
}
