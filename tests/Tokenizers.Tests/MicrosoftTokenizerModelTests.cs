using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;
using MLNet.Transformers.Tokenizers.Interop;
using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>
/// Microsoft's tokenizers inside ours (<see cref="ModelTokenizer.FromMicrosoft"/>): ids as Microsoft's own API gives
/// them with the special tokens and type ids of the model's files, their vocabulary sizes, and what cannot be saved.
/// </summary>
[TestClass]
public sealed class MicrosoftTokenizerModelTests
{
    private static TokenizerFiles MiniLmFiles => TokenizerFiles.FromPath(Path.Combine(ReferenceTokenizers.MiniLmDirectory, "tokenizer.json"));

    [TestMethod]
    public void Singles_and_pairs_get_Microsofts_ids_and_BERTs_type_ids()
    {
        var microsoft = MicrosoftPeers.Bert(ReferenceTokenizers.BertVocab);
        var (tokenizer, _) = ModelTokenizer.FromMicrosoft(microsoft, () => MiniLmFiles, "test");
        var texts = ReferenceCorpora.Texts("sst2").Take(2000).ToArray();
        var singles = tokenizer.EncodeBatch(texts, EncodingSettings.None);
        for (var i = 0; i < texts.Length; i++)
            CollectionAssert.AreEqual(microsoft.EncodeToIds(texts[i]).ToArray(), singles[i].Ids, texts[i]);

        var pairs = ReferenceCorpora.Pairs(texts);
        var encoded = tokenizer.EncodeBatch(pairs, EncodingSettings.None);
        for (var i = 0; i < pairs.Count; i++)
        {
            var first = microsoft.EncodeToIds(pairs[i].Text, addSpecialTokens: false);
            var second = microsoft.EncodeToIds(pairs[i].Pair!, addSpecialTokens: false);
            CollectionAssert.AreEqual(microsoft.BuildInputsWithSpecialTokens(first, second).ToArray(), encoded[i].Ids, pairs[i].Text);
            CollectionAssert.AreEqual(microsoft.CreateTokenTypeIdsFromSequences(first, second).ToArray(), encoded[i].TypeIds, pairs[i].Text);
        }
    }

    [TestMethod]
    public void Truncation_comes_from_the_models_file()
    {
        var (tokenizer, _) = ModelTokenizer.FromMicrosoft(MicrosoftPeers.Bert(ReferenceTokenizers.BertVocab), () => MiniLmFiles, "test");
        var ours = Tokenizer.Load(Path.Combine(ReferenceTokenizers.MiniLmDirectory, "tokenizer.json"));
        Assert.AreEqual(ours.Settings.Truncation, tokenizer.Settings.Truncation);
        var paragraph = ReferenceCorpora.Texts("sotu_paragraphs").First(text => ours.Encode(text).Overflowing.Count > 0);
        Assert.AreEqual(ours.Settings.Truncation!.MaxLength, tokenizer.Encode(paragraph).Length);
    }

    [TestMethod]
    public void A_tokenizer_json_whose_model_we_do_not_run_still_gives_the_special_tokens()
    {
        var directory = Directory.CreateTempSubdirectory("unigram-").FullName;
        try
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(ReferenceTokenizers.MiniLmDirectory, "tokenizer.json")))!;
            json["model"] = new JsonObject { ["type"] = "Unigram", ["unk_id"] = 100, ["vocab"] = new JsonArray() };
            var path = Path.Combine(directory, "tokenizer.json");
            File.WriteAllText(path, json.ToJsonString());
            Assert.ThrowsExactly<TokenizerFormatException>(() => Tokenizer.Load(path));

            var microsoft = MicrosoftPeers.Bert(ReferenceTokenizers.BertVocab);
            var (tokenizer, _) = ModelTokenizer.FromMicrosoft(microsoft, () => TokenizerFiles.FromPath(path), "test");
            CollectionAssert.AreEqual(microsoft.EncodeToIds("Hello, my dog is cute").ToArray(), tokenizer.Encode("Hello, my dog is cute").Ids);
            Assert.AreEqual(0, tokenizer.TokenToId("[PAD]"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void Vocabulary_sizes_are_those_of_the_files()
    {
        var gpt2 = Path.Combine(ReferenceTokenizers.Gpt2Directory, "vocab.json");
        Assert.AreEqual(30522, Size(MicrosoftPeers.Bert(ReferenceTokenizers.BertVocab)));
        Assert.AreEqual(50257, Size(BpeTokenizer.Create(gpt2, Path.Combine(ReferenceTokenizers.Gpt2Directory, "merges.txt"))));
        Assert.AreEqual(50257, Size(TiktokenTokenizer.CreateForModel("gpt2")));

        static int Size(Microsoft.ML.Tokenizers.Tokenizer microsoft) =>
            ModelTokenizer.FromMicrosoft(microsoft, () => MiniLmFiles, "test").Tokenizer.VocabularySize;
    }

    [TestMethod]
    public void A_vocabulary_of_another_size_is_named_with_both_numbers()
    {
        var (tokenizer, _) = ModelTokenizer.FromMicrosoft(TiktokenTokenizer.CreateForModel("gpt2"), () => MiniLmFiles, "Options.Tokenizer");
        var message = ModelTokenizer.VocabularyMismatch(tokenizer, 30522, "Options.Tokenizer");
        StringAssert.Contains(message, "50257");
        StringAssert.Contains(message, "30522");
        StringAssert.Contains(message, "Options.Tokenizer");
        Assert.IsNull(ModelTokenizer.VocabularyMismatch(tokenizer, 50257, "Options.Tokenizer"));
    }

    [TestMethod]
    public void Only_our_tokenizers_loaded_from_files_can_be_written()
    {
        var loaded = HuggingFaceTokenizer.Load(ReferenceTokenizers.MiniLmDirectory);
        var (_, files) = ModelTokenizer.FromMicrosoft(loaded, () => throw new AssertFailedException("ours needs no model files"), "test");
        CollectionAssert.AreEquivalent(new[] { "tokenizer.json" }, files.Files.Keys.ToArray());

        var (_, foreign) = ModelTokenizer.FromMicrosoft(MicrosoftPeers.Bert(ReferenceTokenizers.BertVocab), () => MiniLmFiles, "Options.Tokenizer");
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => foreign.WriteTo(Path.GetTempPath()));
        StringAssert.Contains(error.Message, "Microsoft.ML.Tokenizers.BertTokenizer passed in Options.Tokenizer");
        var (copy, inMemory) = ModelTokenizer.FromMicrosoft(new HuggingFaceTokenizer(loaded.Inner), () => MiniLmFiles, "test");
        Assert.IsNotNull(inMemory.NotWritableReason);
        Assert.AreNotSame(loaded.Inner, copy, "the model sets truncation on a copy of its own");
        Assert.AreEqual(loaded.Inner.Settings.Truncation, copy.Settings.Truncation);
    }
}
