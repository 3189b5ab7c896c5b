namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>
/// Settings per call: the file's truncation applies when a call passes none, a call's own settings apply to that call
/// only, and callers sharing one tokenizer on several threads each get their own settings' results.
/// </summary>
[TestClass]
public sealed class EncodingSettingsTests
{
    private const int Short = 16;

    private static readonly string Paragraph = string.Join(' ', Enumerable.Repeat("the quick brown fox jumps over the lazy dog.", 80));

    [TestMethod]
    public void A_call_without_settings_uses_the_files_truncation()
    {
        var tokenizer = ReferenceTokenizers.Create("bert-json");
        var fileLength = tokenizer.Settings.Truncation!.MaxLength; // 256 in all-MiniLM-L6-v2's tokenizer.json

        Assert.HasCount(fileLength, tokenizer.Encode(Paragraph).Ids);
        Assert.IsGreaterThan(fileLength, tokenizer.Encode(Paragraph, settings: EncodingSettings.None).Ids.Length);
        Assert.HasCount(fileLength, tokenizer.Encode(Paragraph).Ids, "a call's own settings leave the tokenizer's alone");
    }

    [TestMethod]
    public void Truncated_ids_are_the_whole_encodings_prefix_closed_by_the_separator()
    {
        var tokenizer = ReferenceTokenizers.Create("bert-json");
        var whole = tokenizer.Encode(Paragraph, settings: EncodingSettings.None).Ids;
        var cut = tokenizer.Encode(Paragraph, settings: new EncodingSettings { Truncation = new TruncationOptions { MaxLength = Short } }).Ids;

        CollectionAssert.AreEqual(whole[..(Short - 1)].Append(whole[^1]).ToArray(), cut, "[CLS] + the first 14 tokens + [SEP]");
    }

    [TestMethod]
    public void Concurrent_callers_with_different_settings_each_get_their_own()
    {
        var tokenizer = ReferenceTokenizers.Create("bert-json");
        var texts = Enumerable.Range(0, 200).Select(i => $"{i}: {Paragraph[..(i * 7 % Paragraph.Length)]}").ToArray();
        var cut = new EncodingSettings { Truncation = new TruncationOptions { MaxLength = Short } };
        var expectedWhole = texts.Select(t => tokenizer.Encode(t, settings: EncodingSettings.None).Length).ToArray();

        var results = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(4)
            .Select(caller => (caller, lengths: tokenizer.EncodeBatch(texts, caller % 2 == 0 ? cut : EncodingSettings.None, maxDegreeOfParallelism: 2)
                .Select(e => e.Length).ToArray()))
            .ToList();

        foreach (var (caller, lengths) in results)
            CollectionAssert.AreEqual(caller % 2 == 0 ? expectedWhole.Select(n => Math.Min(n, Short)).ToArray() : expectedWhole, lengths, $"caller {caller}");
    }
}
