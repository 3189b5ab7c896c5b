using Microsoft.ML.Tokenizers;
using MLNet.Transformers.Tokenizers.Interop;
using MicrosoftTokenizer = Microsoft.ML.Tokenizers.Tokenizer;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>
/// Our tokenizers through the <c>Microsoft.ML.Tokenizers.Tokenizer</c> API: whole corpora give Hugging Face's ids and
/// offsets (the pinned hashes of <c>fixtures/corpus-hashes.json</c>), and the API's token limits cut where
/// Microsoft's own <c>BertTokenizer</c> cuts on the texts both encode alike.
/// </summary>
[TestClass]
public sealed class MicrosoftApiReferenceTests
{
    /// <summary>[CLS] and [SEP].</summary>
    private const int SpecialTokens = 2;

    /// <summary>The pinned single-text entries of tokenizers with no truncation of their own (the API never truncates).</summary>
    public static IEnumerable<object[]> SingleEntries() => CorpusReferenceTests.PinnedEntries()
        .Where(entry => (string)entry[2] == "single" && (string)entry[0] != "bert-json")
        .Select(entry => new[] { entry[0], entry[1], entry[4], entry[5] });

    [TestMethod]
    [DynamicData(nameof(SingleEntries))]
    public void Corpus_through_the_Microsoft_API_hashes_to_the_pinned_reference(string tokenizerName, string corpus, int count, string sha256)
    {
        MicrosoftTokenizer tokenizer = new HuggingFaceTokenizer(ReferenceTokenizers.Create(tokenizerName));
        var lines = ReferenceCorpora.Texts(corpus).Select(text => Line(tokenizer.EncodeToTokens(text, out var normalized)))
            .ToArray();
        Assert.HasCount(count, lines);
        Assert.AreEqual(sha256, CanonicalEncoding.Sha256(lines), $"{tokenizerName} on {corpus} through Microsoft.ML.Tokenizers' API differs from Hugging Face");
    }

    [TestMethod]
    [DataRow("bert-json")]
    [DataRow("gpt2")]
    [DataRow("roberta")]
    public void Ids_alone_through_either_API_are_those_of_the_pinned_full_encoding(string tokenizerName)
    {
        var tokenizer = ReferenceTokenizers.Create(tokenizerName);
        var whole = tokenizer.Settings with { Truncation = null };
        MicrosoftTokenizer microsoft = new HuggingFaceTokenizer(tokenizer);
        foreach (var text in ReferenceCorpora.Texts("sst2").Concat(ReferenceCorpora.Texts("sotu_paragraphs")))
        {
            var full = tokenizer.Encode(text, settings: whole).Ids;
            CollectionAssert.AreEqual(full, tokenizer.EncodeToIds(text), text);
            CollectionAssert.AreEqual(full, microsoft.EncodeToIds(text).ToArray(), text);
            CollectionAssert.AreEqual(tokenizer.Encode(text, settings: whole with { AddSpecialTokens = false }).Ids, tokenizer.EncodeToIds(text, addSpecialTokens: false), text);
        }
    }

    [TestMethod]
    public void Token_limits_cut_where_Microsofts_BertTokenizer_cuts()
    {
        var ours = new HuggingFaceTokenizer(Tokenizer.Load(ReferenceTokenizers.BertVocab));
        var theirs = MicrosoftPeers.Bert(ReferenceTokenizers.BertVocab);
        var compared = 0;
        foreach (var text in ReferenceCorpora.Texts("sotu_paragraphs").Take(200))
        {
            if (!ours.EncodeToIds(text).SequenceEqual(theirs.EncodeToIds(text))) continue;
            compared++;
            Assert.AreEqual(theirs.CountTokens(text), ours.CountTokens(text), text);
            foreach (var limit in new[] { 3, 10, 57 })
            {
                // Microsoft's EncodeToIds counts [CLS] and [SEP] within the limit; its character counts and indices
                // are into its normalized text (BERT's spaced out around punctuation), ours into the text itself, so
                // they compare through the text on the kept side, which must encode to the same tokens.
                Assert.AreEqual(string.Join(' ', theirs.EncodeToIds(text, limit, out _, out _)),
                    string.Join(' ', ours.EncodeToIds(text, limit, out _, out var consumed)), $"first {limit} tokens of \"{text}\"");
                Assert.AreEqual(ours.GetIndexByTokenCount(text, limit - SpecialTokens, out _, out _), consumed, $"characters of the first {limit} tokens");
                var index = theirs.GetIndexByTokenCount(text, limit, out var normalized, out var theirCount);
                var ourIndex = ours.GetIndexByTokenCount(text, limit, out _, out var ourCount);
                Assert.AreEqual(theirCount, ourCount);
                SameTokens(theirs.EncodeToIds(normalized![..index], addSpecialTokens: false), ours.EncodeToIds(text[..ourIndex], addSpecialTokens: false), text);
                index = theirs.GetIndexByTokenCountFromEnd(text, limit, out normalized, out theirCount);
                ourIndex = ours.GetIndexByTokenCountFromEnd(text, limit, out _, out ourCount);
                Assert.AreEqual(theirCount, ourCount);
                SameTokens(theirs.EncodeToIds(normalized![index..], addSpecialTokens: false), ours.EncodeToIds(text[ourIndex..], addSpecialTokens: false), text);
            }
        }
        Assert.IsGreaterThan(100, compared, "paragraphs both tokenizers encode alike");
    }

    [TestMethod]
    public void Decoding_gives_Microsofts_text_and_fills_a_buffer_as_far_as_it_fits()
    {
        var ours = new HuggingFaceTokenizer(Tokenizer.Load(ReferenceTokenizers.BertVocab));
        var theirs = MicrosoftPeers.Bert(ReferenceTokenizers.BertVocab);
        var ids = ours.EncodeToIds("Hello, my dog is cute");
        Assert.AreEqual(theirs.Decode(ids), ours.Decode(ids));
        Assert.AreEqual("hello, my dog is cute", ours.Decode(ids, skipSpecialTokens: true));

        var buffer = new char[12];
        Assert.AreEqual(System.Buffers.OperationStatus.DestinationTooSmall, ours.Decode(ids, buffer, out var used, out var written));
        Assert.AreEqual(ours.Decode(ids.Take(used)), new string(buffer, 0, written));
        Assert.AreEqual(System.Buffers.OperationStatus.InvalidData, ours.Decode([101, 99999], new char[64], out used, out _));
        Assert.AreEqual(1, used);
    }

    [TestMethod]
    public void Byte_level_cuts_never_split_a_character()
    {
        MicrosoftTokenizer ours = new HuggingFaceTokenizer(Tokenizer.Load(ReferenceTokenizers.Gpt2Directory));
        const string text = "a 😀 b";
        var whole = ours.EncodeToTokens(text, out _);
        var emoji = whole.Where(token => token.Offset.Start.Value == 1 || token.Offset.Start.Value == 2).ToArray();
        Assert.IsGreaterThan(1, emoji.Length, "the emoji takes several byte tokens");
        var ids = ours.EncodeToIds(text, 2, out _, out var consumed);
        Assert.AreEqual(1, ids.Count, "the cut backs off to before the emoji");
        Assert.AreEqual(1, consumed, "up to the emoji's first token, which holds the space before it");
    }

    private static void SameTokens(IReadOnlyList<int> theirs, IReadOnlyList<int> ours, string text) =>
        Assert.AreEqual(string.Join(' ', theirs), string.Join(' ', ours), $"tokens on the kept side of the index in \"{text}\"");

    private static string Line(IReadOnlyList<EncodedToken> tokens) =>
        $"{string.Join(' ', tokens.Select(t => t.Id))}\t{string.Join(' ', tokens.Select(_ => 0))}\t{string.Join(' ', tokens.Select(t => $"{t.Offset.Start.Value}:{t.Offset.End.Value}"))}\n";
}
