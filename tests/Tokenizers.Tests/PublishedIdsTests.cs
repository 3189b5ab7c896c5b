using System.Text.Json;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>Ids published by others for the real models (the shared models/REFERENCE-OUTPUTS.md and ML.NET's GPT-2 test file).</summary>
[TestClass]
public sealed class PublishedIdsTests
{
    private static readonly int[] HelloMyDogIsCute = [101, 7592, 1010, 2026, 3899, 2003, 10140, 102];

    [TestMethod]
    public void Bert_base_uncased_ids_from_tokenizer_json() =>
        CollectionAssert.AreEqual(HelloMyDogIsCute, ReferenceTokenizers.Create("bert-json").Encode("Hello, my dog is cute").Ids);

    [TestMethod]
    public void Bert_base_uncased_ids_from_bare_vocab_txt() =>
        CollectionAssert.AreEqual(HelloMyDogIsCute, ReferenceTokenizers.Create("bert-vocab").Encode("Hello, my dog is cute").Ids);

    [TestMethod]
    public void Checkpoint_directory_loads_its_tokenizer_json() =>
        CollectionAssert.AreEqual(HelloMyDogIsCute, Tokenizer.Load(ReferenceTokenizers.MiniLmDirectory).Encode("Hello, my dog is cute").Ids);

    [TestMethod]
    public void Gpt2_ids_of_the_ml_net_test_file_and_back()
    {
        var directory = ReferenceTokenizers.Gpt2Directory;
        var text = File.ReadAllText(Path.Combine(directory, "mlnet-test-lib.rs.txt")).Replace("\r", "");
        var expected = JsonSerializer.Deserialize<int[]>(File.ReadAllText(Path.Combine(directory, "mlnet-test-tokens_gpt2.json")))!;
        var tokenizer = ReferenceTokenizers.Create("gpt2");

        var ids = tokenizer.Encode(text).Ids;

        CollectionAssert.AreEqual(expected, ids);
        Assert.AreEqual(text, tokenizer.Decode(ids));
    }
}
