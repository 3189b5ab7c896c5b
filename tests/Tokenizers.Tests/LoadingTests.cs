using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>What each tokenizer path loads as, and the errors bad files give (naming the file and the field).</summary>
[TestClass]
public sealed class LoadingTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Unknown_component_names_itself_and_its_field()
    {
        var path = WriteMiniLmJson(json => json.Replace("\"BertPreTokenizer\"", "\"Metaspace\""));
        var error = Assert.ThrowsExactly<TokenizerFormatException>(() => Tokenizer.Load(path));
        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, "$.pre_tokenizer.type");
        StringAssert.Contains(error.Message, "'Metaspace'");
    }

    [TestMethod]
    public void Missing_model_vocabulary_is_named()
    {
        var path = WriteMiniLmJson(json => json.Replace("\"vocab\":", "\"vocabulary\":"));
        var error = Assert.ThrowsExactly<TokenizerFormatException>(() => Tokenizer.Load(path));
        StringAssert.Contains(error.Message, "$.model.vocab: missing");
    }

    [TestMethod]
    public void Invalid_json_names_the_file()
    {
        var path = Path.Combine(TestContext.TestRunDirectory!, "broken-tokenizer.json");
        File.WriteAllText(path, "{ \"model\": ");
        var error = Assert.ThrowsExactly<TokenizerFormatException>(() => Tokenizer.Load(path));
        StringAssert.StartsWith(error.Message, path);
    }

    [TestMethod]
    public void Malformed_merges_line_is_named()
    {
        var directory = Directory.CreateDirectory(Path.Combine(TestContext.TestRunDirectory!, "bad-merges")).FullName;
        File.WriteAllText(Path.Combine(directory, "vocab.json"), "{\"a\": 0, \"b\": 1, \"ab\": 2}");
        File.WriteAllText(Path.Combine(directory, "merges.txt"), "#version: 0.2\na b\nab\n");
        var error = Assert.ThrowsExactly<TokenizerFormatException>(() => Tokenizer.Load(directory));
        StringAssert.Contains(error.Message, "line 3");
    }

    [TestMethod]
    public void Missing_path_is_a_file_not_found_error() =>
        Assert.ThrowsExactly<FileNotFoundException>(() => Tokenizer.Load(Path.Combine(TestContext.TestRunDirectory!, "nothing-here")));

    [TestMethod]
    public void Cased_vocab_txt_follows_the_tokenizer_config_beside_it()
    {
        var directory = Directory.CreateDirectory(Path.Combine(TestContext.TestRunDirectory!, "cased-bert")).FullName;
        File.Copy(ReferenceTokenizers.BertVocab, Path.Combine(directory, "vocab.txt"), overwrite: true);
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), "{\"do_lower_case\": false}");
        var cased = Tokenizer.Load(Path.Combine(directory, "vocab.txt"));
        var uncased = ReferenceTokenizers.Create("bert-vocab");
        Assert.AreEqual(cased.TokenToId("[UNK]"), cased.Encode("HELLO").Ids[1]);
        Assert.AreEqual(uncased.TokenToId("hello"), uncased.Encode("HELLO").Ids[1]);
    }

    private string WriteMiniLmJson(Func<string, string> edit)
    {
        var json = File.ReadAllText(Path.Combine(ReferenceTokenizers.MiniLmDirectory, "tokenizer.json"));
        var path = Path.Combine(TestContext.TestRunDirectory!, $"{TestContext.TestName}-tokenizer.json");
        File.WriteAllText(path, edit(json));
        return path;
    }
}
