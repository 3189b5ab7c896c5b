using MLNet.Transformers.Models.Generation;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Transforms;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// The <c>generate</c> command end to end on a small random GPT-2 with the real GPT-2 tokenizer: its text against the
/// library's, with and without the cache, sampling, stop sequences, a prompts file, and the error convention; and
/// <c>train</c> from the same GPT-2 checkpoint.
/// </summary>
[TestClass]
public sealed class GenerateCommandTests
{
    private const string Prompt = "Four score and seven years ago";

    private static TinyGpt2Checkpoint s_checkpoint = null!;

    [ClassInitialize]
    public static void CreateCheckpoint(TestContext _) => s_checkpoint = TinyGpt2Checkpoint.Create();

    [ClassCleanup]
    public static void DeleteCheckpoint() => s_checkpoint.Dispose();

    private static string Model => s_checkpoint.Directory;

    [TestMethod]
    public void GreedyTextIsTheLibrarysWithAndWithoutTheCache()
    {
        var expected = TextGenerator.FromPretrained(Model).Generate(Prompt, new GenerationOptions { MaxNewTokens = 10 });

        var cached = CliRunner.Run("generate", "--model", Model, "--prompt", Prompt, "--max-new-tokens", "10");
        var uncached = CliRunner.Run("generate", "--model", Model, "--prompt", Prompt, "--max-new-tokens", "10", "--no-kv-cache");

        Assert.AreEqual(0, cached.ExitCode, cached.StandardError);
        Assert.AreEqual(expected + "\n", cached.StandardOutput);
        Assert.AreEqual(cached.StandardOutput, uncached.StandardOutput);
    }

    [TestMethod]
    public void SamplingOptionsSampleWithTheSeedAndStopCutsTheText()
    {
        var options = new GenerationOptions { MaxNewTokens = 12, Sample = true, TopK = 20, TopP = 0.9f, RepetitionPenalty = 1.2f, Seed = 9 };
        var full = TextGenerator.FromPretrained(Model).Generate(Prompt, options);
        var stop = full.Substring(full.Length / 2, 2);

        var sampled = CliRunner.Run("generate", "--model", Model, "--prompt", Prompt, "--max-new-tokens", "12", "--top-k", "20",
            "--top-p", "0.9", "--repetition-penalty", "1.2", "--seed", "9", "--stop", stop);

        Assert.AreEqual(0, sampled.ExitCode, sampled.StandardError);
        Assert.AreEqual(full[..full.IndexOf(stop, StringComparison.Ordinal)] + "\n", sampled.StandardOutput);
    }

    [TestMethod]
    [DataRow("--top-p", "1.5", "--top-p 1.5")]
    [DataRow("--temperature", "0", "--temperature 0")]
    [DataRow("--max-new-tokens", "0", "--max-new-tokens 0")]
    public void AnOptionOutOfRangeIsBadInputNamingIt(string option, string value, string mention)
    {
        var result = CliRunner.Run("generate", "--model", Model, "--prompt", Prompt, option, value);

        CliAssert.BadInput(result, null, mention);
    }

    [TestMethod]
    public void AModelThatIsNoGpt2IsBadInputNamingTheField()
    {
        var bert = TestPaths.SharedPath("models", "all-MiniLM-L6-v2-no-weights");

        CliAssert.BadInput(CliRunner.Run("generate", "--model", bert, "--prompt", Prompt), null, "config.json", "model_type");
        CliAssert.BadInput(CliRunner.Run("generate", "--model", bert + "-missing", "--prompt", Prompt), null, "--model");
    }

    [TestMethod]
    public void APromptsFileIsGeneratedInBatchesEachPromptAsAlone()
    {
        string[] prompts = [Prompt, "Hello", "The state of the union is strong and", "We"];
        var file = Path.Combine(Model, "prompts.txt");
        File.WriteAllLines(file, prompts);
        var options = new GenerationOptions { MaxNewTokens = 8 };
        var generator = TextGenerator.FromPretrained(Model);

        var result = CliRunner.Run("generate", "--model", Model, "--prompts", file, "--max-new-tokens", "8", "--batch-size", "3");

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(prompts.Length, lines.Length);
        for (var i = 0; i < prompts.Length; i++)
        {
            using var line = System.Text.Json.JsonDocument.Parse(lines[i]);
            Assert.AreEqual(prompts[i], line.RootElement.GetProperty("prompt").GetString());
            Assert.AreEqual(generator.Generate(prompts[i], options), line.RootElement.GetProperty("text").GetString(), prompts[i]);
        }
        CliAssert.BadInput(CliRunner.Run("generate", "--model", Model, "--prompts", file, "--prompt", Prompt), null, "--prompts");
    }

    [TestMethod]
    public void TrainFineTunesAGpt2CheckpointWithTheLastTokenHead()
    {
        var directory = Directory.CreateTempSubdirectory("cli-gpt2-train-").FullName;
        try
        {
            var data = ClassifierFixture.WriteTsv(Path.Combine(directory, "train.tsv"), ClassifierFixture.Sentences().Take(16));
            var output = Path.Combine(directory, "model.zip");

            var result = CliRunner.Run("train", "--model", Model, "--data", data, "--text-column", "sentence", "--label-column", "label",
                "--output", output, "--epochs", "1", "--batch-size", "8", "--max-length", "16", "--frozen-layers", "1", "--seed", "7");

            Assert.AreEqual(0, result.ExitCode, result.StandardError);
            StringAssert.Contains(result.StandardError, "Some weights of GPT2ForSequenceClassification were not initialized");
            StringAssert.Contains(result.StandardError, "[score.weight]");
            Assert.IsTrue(File.Exists(output), "the model zip is written");
            CliAssert.BadInput(CliRunner.Run("train", "--model", Model, "--data", data, "--text-column", "sentence", "--label-column", "label",
                "--output", output, "--max-length", "65"), null, "--max-length", "n_positions 64");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
