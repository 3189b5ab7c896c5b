using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.Training;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>
/// Vocabulary training: the merge order on a corpus small enough to count by hand, and WordPiece / byte-level BPE
/// vocabularies learned from a real corpus, saved in Hugging Face's file formats, and read back by us and by
/// Hugging Face tokenizers (which must then tokenize the whole corpus exactly as we do).
/// </summary>
[TestClass]
public sealed class TrainingTests
{
    private const string Corpus = "uci_sentences";
    private const int VocabularySize = 2000;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Merges_follow_pair_frequency_on_a_hand_counted_corpus()
    {
        // Pairs: (e,s) 9, (s,t) 9, (w,e) 8, (l,o) 7, (o,w) 7, ... ties go to the pair whose left symbol sorts first.
        var words = new Dictionary<string, long> { ["low"] = 5, ["lower"] = 2, ["newest"] = 6, ["widest"] = 3 };
        var learned = VocabularyBuilder.Build(words, [], continuingPrefix: null, new BpeTrainerOptions { VocabularySize = 14, MinFrequency = 2 });

        CollectionAssert.AreEqual(new[] { ("e", "s"), ("es", "t"), ("l", "o"), ("lo", "w") }, learned.Merges);
        CollectionAssert.AreEqual(new[] { "d", "e", "i", "l", "n", "o", "r", "s", "t", "w", "es", "est", "lo", "low" }, learned.Tokens);
    }

    [TestMethod]
    public void Min_frequency_stops_merging()
    {
        var words = new Dictionary<string, long> { ["ab"] = 3, ["cd"] = 1 };
        var learned = VocabularyBuilder.Build(words, [], null, new BpeTrainerOptions { VocabularySize = 100, MinFrequency = 2 });
        CollectionAssert.AreEqual(new[] { ("a", "b") }, learned.Merges);
    }

    [TestMethod]
    public void Trained_wordpiece_vocab_txt_round_trips_and_hugging_face_agrees()
    {
        var texts = ReferenceCorpora.Texts(Corpus);
        var trained = WordPieceTrainer.Train(texts, new BpeTrainerOptions { VocabularySize = VocabularySize });
        var path = Path.Combine(TestContext.TestRunDirectory!, "trained-wordpiece-vocab.txt");
        TokenizerFileWriter.WriteVocabTxt(trained.Model.Vocabulary, path);
        var loaded = Tokenizer.Load(path);

        Assert.AreEqual(VocabularySize, loaded.VocabularySize);
        CollectionAssert.AreEqual(new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }, Enumerable.Range(0, 5).Select(id => loaded.IdToToken(id)).ToArray());
        var unknownId = loaded.TokenToId("[UNK]");
        var ours = CanonicalEncoding.Lines(loaded, texts, "single");
        Assert.IsFalse(loaded.EncodeBatch(texts).Any(e => e.Ids.Contains(unknownId!.Value)), "every character of the corpus is in the alphabet");
        CollectionAssert.AreEqual(CanonicalEncoding.Lines(trained, texts, "single").ToArray(), ours.ToArray(), "the saved file tokenizes as the trained tokenizer");

        if (Fixtures.ReferenceInstalled)
            CollectionAssert.AreEqual(CorpusReferenceTests.RunReference($"bert-vocab:{path}", Corpus, "single"), ours.ToList());
    }

    [TestMethod]
    public void Trained_byte_level_bpe_files_round_trip_and_hugging_face_agrees()
    {
        var texts = ReferenceCorpora.Texts(Corpus);
        var trained = ByteLevelBpeTrainer.Train(texts, new BpeTrainerOptions { VocabularySize = VocabularySize });
        var directory = Directory.CreateDirectory(Path.Combine(TestContext.TestRunDirectory!, "trained-bpe")).FullName;
        TokenizerFileWriter.WriteBpeFiles((BpeModel)trained.Model, Path.Combine(directory, "vocab.json"), Path.Combine(directory, "merges.txt"));
        var loaded = Tokenizer.Load(directory);

        Assert.AreEqual(VocabularySize, loaded.VocabularySize);
        Assert.AreEqual(VocabularySize - 256 - 1, ((BpeModel)loaded.Model).Merges.Count, "vocabulary = end-of-text + 256 bytes + one token per merge");
        var ours = CanonicalEncoding.Lines(loaded, texts, "single");
        foreach (var text in texts.Take(200)) Assert.AreEqual(text, loaded.Decode(loaded.Encode(text).Ids));
        var gpt2Tokens = ReferenceTokenizers.Create("gpt2").EncodeBatch(texts).Sum(e => e.Length);
        var trainedTokens = loaded.EncodeBatch(texts).Sum(e => e.Length);
        Assert.IsLessThan(gpt2Tokens * 2, trainedTokens, "a 2,000-token vocabulary learned on the corpus covers it within twice GPT-2's token count");

        if (Fixtures.ReferenceInstalled)
            CollectionAssert.AreEqual(CorpusReferenceTests.RunReference($"gpt2:{directory}", Corpus, "single"), ours.ToList());
    }

    [TestMethod]
    public void Bert_tokenizer_files_load_back_as_the_same_tokenizer()
    {
        var texts = ReferenceCorpora.Texts(Corpus);
        var trained = WordPieceTrainer.Train(texts, new BpeTrainerOptions { VocabularySize = VocabularySize });
        var directory = Path.Combine(TestContext.TestRunDirectory!, "bert-tokenizer-files");
        BertTokenizerFiles.Write(trained, directory);
        var expected = CanonicalEncoding.Lines(trained, texts, "single").ToArray();

        var fromJson = Tokenizer.Load(directory);
        CollectionAssert.AreEqual(expected, CanonicalEncoding.Lines(fromJson, texts, "single").ToArray(), "tokenizer.json");
        CollectionAssert.AreEqual(expected, CanonicalEncoding.Lines(Tokenizer.Load(Path.Combine(directory, "vocab.txt")), texts, "single").ToArray(), "vocab.txt");
        Assert.AreEqual(trained.AddedTokens.Count, fromJson.AddedTokens.Count);
        StringAssert.Contains(File.ReadAllText(Path.Combine(directory, BertTokenizerFiles.TokenizerConfig)), "\"do_lower_case\": true");
        Assert.IsTrue(File.Exists(Path.Combine(directory, BertTokenizerFiles.SpecialTokensMap)));

        if (Fixtures.ReferenceInstalled)
            CollectionAssert.AreEqual(CorpusReferenceTests.RunReference($"bert-json:{Path.Combine(directory, "tokenizer.json")}", Corpus, "single"), expected.ToList());
    }

    [TestMethod]
    public void Only_bert_wordpiece_tokenizers_are_written_as_bert_files()
    {
        var bpe = ByteLevelBpeTrainer.Train(["some text to learn from"], new BpeTrainerOptions { VocabularySize = 300, MinFrequency = 1 });
        Assert.IsFalse(BertTokenizerFiles.CanWrite(bpe));
        Assert.ThrowsExactly<ArgumentException>(() => BertTokenizerFiles.Write(bpe, Path.Combine(TestContext.TestRunDirectory!, "bpe")));
    }
}
