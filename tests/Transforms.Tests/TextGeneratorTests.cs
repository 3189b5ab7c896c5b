using MLNet.Transformers.Models.Generation;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>Text generation over a small random GPT-2 with the real GPT-2 tokenizer: text, streaming, stop sequences.</summary>
[TestClass]
public sealed class TextGeneratorTests
{
    private const string Prompt = "The state of the union is";

    private static TinyGpt2Checkpoint s_checkpoint = null!;

    [ClassInitialize]
    public static void CreateCheckpoint(TestContext _) => s_checkpoint = TinyGpt2Checkpoint.Create();

    [ClassCleanup]
    public static void DeleteCheckpoint() => s_checkpoint.Dispose();

    private static string Checkpoint => s_checkpoint.Directory;

    [TestMethod]
    public void TheTextIsTheDecodedTokensOfTheGenerator()
    {
        var generator = TextGenerator.FromPretrained(Checkpoint);
        var options = new GenerationOptions { MaxNewTokens = 12 };
        var tokenizer = Tokenizer.Load(Checkpoint);

        var text = generator.Generate(Prompt, options);

        var ids = new Gpt2Generator(generator.Model).Generate(tokenizer.Encode(Prompt).Ids, options).ToArray();
        Assert.AreEqual(12, ids.Length);
        Assert.AreEqual(tokenizer.Decode(ids), text);
        Assert.IsFalse(string.IsNullOrEmpty(text));
    }

    [TestMethod]
    public async Task StreamedPiecesConcatenateToTheText()
    {
        var generator = TextGenerator.FromPretrained(Checkpoint);
        var options = new GenerationOptions { MaxNewTokens = 12, Sample = true, Temperature = 0.9f, Seed = 5 };

        var pieces = new List<string>();
        await foreach (var piece in generator.GenerateStreamingAsync(Prompt, options)) pieces.Add(piece);

        Assert.IsTrue(pieces.Count > 1, "text arrives in pieces");
        Assert.AreEqual(generator.Generate(Prompt, options), string.Concat(pieces));
    }

    [TestMethod]
    public async Task GenerationEndsBeforeTheFirstStopSequence()
    {
        var generator = TextGenerator.FromPretrained(Checkpoint);
        var options = new GenerationOptions { MaxNewTokens = 12 };
        var full = generator.Generate(Prompt, options);
        var stop = full.Substring(full.Length / 2, 2);
        var expected = full[..full.IndexOf(stop, StringComparison.Ordinal)];

        var cut = generator.Generate(Prompt, options, [stop, "never appears in the text"]);
        var streamed = new List<string>();
        await foreach (var piece in generator.GenerateStreamingAsync(Prompt, options, [stop])) streamed.Add(piece);

        Assert.AreEqual(expected, cut);
        Assert.AreEqual(expected, string.Concat(streamed));
    }

    [TestMethod]
    public void EachPromptOfABatchGetsTheTextItGetsAlone()
    {
        var generator = TextGenerator.FromPretrained(Checkpoint);
        string[] prompts = [Prompt, "Hello", "Four score and seven years ago our fathers"];
        var greedy = new GenerationOptions { MaxNewTokens = 10 };
        var sampled = new GenerationOptions { MaxNewTokens = 10, Sample = true, Temperature = 0.9f, TopP = 0.9f, Seed = 3 };
        var stop = generator.Generate(prompts[1], greedy).Substring(4, 2);

        foreach (var options in new[] { greedy, sampled })
        {
            var texts = generator.Generate(prompts, options, [stop]);
            var alone = prompts.Select(prompt => generator.Generate(prompt, options, [stop])).ToArray();
            CollectionAssert.AreEqual(alone, texts.ToArray());
        }
        Assert.IsFalse(generator.Generate(prompts, greedy, [stop])[1].Contains(stop, StringComparison.Ordinal));
    }
}
