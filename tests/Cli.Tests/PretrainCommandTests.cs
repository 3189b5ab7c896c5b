using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// <c>pretrain</c> and <c>fill-mask</c> end to end on a tiny repetitive corpus, and their error convention (exit code 2,
/// one line, no output directory).
/// </summary>
[TestClass]
public sealed class PretrainCommandTests
{
    private static readonly string[] Subjects = ["the president", "the congress", "the senate", "the people", "the court"];

    public TestContext TestContext { get; set; } = null!;

    private string WorkPath(string name) => Path.Combine(TestContext.TestRunDirectory!, $"{TestContext.TestName}-{name}");

    private string Corpus()
    {
        var path = WorkPath("corpus.txt");
        File.WriteAllLines(path, Enumerable.Range(0, 500).Select(i => $"{Subjects[i % 5]} of the united states spoke to {Subjects[i / 5 % 5]} today ."));
        return path;
    }

    private static void AssertBadInput(CliRunner.Result result, string expected)
    {
        Assert.AreEqual(2, result.ExitCode, result.StandardError);
        var lines = result.StandardError.Trim().Split('\n');
        Assert.HasCount(1, lines, result.StandardError);
        StringAssert.Contains(lines[0], expected);
    }

    [TestMethod]
    public void PretrainWritesACheckpointThatFillMaskReads()
    {
        var output = WorkPath("model");
        var result = CliRunner.Run("pretrain", "--corpus", Corpus(), "--output", output, "--preset", "tiny", "--vocab-size", "120",
            "--max-steps", "120", "--max-length", "32", "--batch-size", "16", "--epochs", "30", "--learning-rate", "2e-3", "--seed", "3");
        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        StringAssert.Contains(result.StandardOutput, "held-out perplexity");
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer.json" })
            Assert.IsTrue(File.Exists(Path.Combine(output, file)), file);

        var filled = CliRunner.Run("fill-mask", "--model", output, "--text", "the court of the united [MASK] spoke to the people today .", "--top-k", "3");
        Assert.AreEqual(0, filled.ExitCode, filled.StandardError);
        var lines = filled.StandardOutput.Trim().Split('\n');
        Assert.HasCount(3, lines);
        Assert.AreEqual("states", lines[0].Split('\t')[0]);
        Assert.IsTrue(double.Parse(lines[0].Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture) > 0.3, lines[0]);
    }

    [TestMethod]
    public void CausalPretrainWritesAGpt2CheckpointThatGenerateContinues()
    {
        var output = WorkPath("gpt2");
        var result = CliRunner.Run("pretrain", "--objective", "causal", "--corpus", Corpus(), "--output", output, "--preset", "tiny",
            "--vocab-size", "300", "--max-steps", "120", "--max-length", "32", "--batch-size", "16", "--epochs", "30", "--learning-rate", "2e-3", "--seed", "3");
        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        StringAssert.Contains(result.StandardOutput, "held-out perplexity");
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.json", "merges.txt" })
            Assert.IsTrue(File.Exists(Path.Combine(output, file)), file);
        StringAssert.Contains(File.ReadAllText(Path.Combine(output, "config.json")), "\"model_type\": \"gpt2\"");

        var generated = CliRunner.Run("generate", "--model", output, "--prompt", "the court of the", "--max-new-tokens", "3");

        Assert.AreEqual(0, generated.ExitCode, generated.StandardError);
        StringAssert.StartsWith(generated.StandardOutput, " united states");
    }

    [TestMethod]
    public void CausalPretrainErrorsNameTheOption()
    {
        var corpus = Corpus();
        var output = WorkPath("never-written");
        AssertBadInput(CliRunner.Run("pretrain", "--corpus", corpus, "--output", output, "--objective", "sideways"), "--objective sideways");
        AssertBadInput(CliRunner.Run("pretrain", "--corpus", corpus, "--output", output, "--objective", "causal", "--whole-word-masking"), "--whole-word-masking");
        AssertBadInput(CliRunner.Run("pretrain", "--corpus", corpus, "--output", output, "--objective", "causal",
            "--tokenizer", TestPaths.SharedPath("tokenizers", "bert-base-uncased", "vocab.txt")), "byte-level BPE");
        Assert.IsFalse(Directory.Exists(output));
    }

    [TestMethod]
    public void PretrainErrorsAreOneLineWithExitCode2AndNoOutput()
    {
        var corpus = Corpus();
        var output = WorkPath("never-written");
        AssertBadInput(CliRunner.Run("pretrain", "--corpus", WorkPath("missing.txt"), "--output", output), "missing.txt");
        AssertBadInput(CliRunner.Run("pretrain", "--corpus", corpus, "--output", output, "--preset", "huge"), "--preset huge");
        AssertBadInput(CliRunner.Run("pretrain", "--corpus", corpus, "--output", output, "--preset", "tiny", "--config", corpus), "--preset and --config");
        AssertBadInput(CliRunner.Run("pretrain", "--corpus", corpus, "--output", output, "--tokenizer", corpus, "--vocab-size", "100"), "--tokenizer and --vocab-size");
        AssertBadInput(CliRunner.Run("pretrain", "--corpus", corpus, "--output", output, "--max-steps", "0"), "--max-steps 0: must be a whole number of at least 1.");
        var badJson = WorkPath("bad.jsonl");
        File.WriteAllText(badJson, "{\"body\": 1}\n");
        AssertBadInput(CliRunner.Run("pretrain", "--corpus", badJson, "--output", output, "--vocab-size", "50"), "bad.jsonl:1");
        AssertBadInput(CliRunner.Run("pretrain", "--output", output), "--corpus");
        AssertBadInput(CliRunner.Run("pretrain", "--corpus", corpus, "--output", output, "--device", "gpu"), "--device gpu: Device 'gpu' is not known");
        // The tool is built without the TorchSharp backend (it is a build option): the error says how to get it.
        AssertBadInput(CliRunner.Run("pretrain", "--corpus", corpus, "--output", output, "--device", "torch:cpu"), "-p:LibTorchPackage=TorchSharp-cpu");
        AssertBadInput(CliRunner.Run("pretrain", "--corpus", corpus, "--output", output, "--objective", "causal", "--device", "cuda"), "--objective causal trains on the managed engine only");
        Assert.IsFalse(Directory.Exists(output));
        Assert.IsFalse(Directory.EnumerateDirectories(TestContext.TestRunDirectory!).Any(d => d.Contains("never-written.tmp")));
    }

    [TestMethod]
    public void FillMaskErrorsAreOneLineWithExitCode2()
    {
        AssertBadInput(CliRunner.Run("fill-mask", "--model", WorkPath("no-model"), "--text", "a [MASK]"), "no-model");
        AssertBadInput(CliRunner.Run("fill-mask", "--model", TestContext.TestRunDirectory!, "--text", "a [MASK]"), "no weights found");
        AssertBadInput(CliRunner.Run("fill-mask", "--model", WorkPath("no-model"), "--text", "a [MASK]", "--top-k", "0"), "--top-k");
    }
}
