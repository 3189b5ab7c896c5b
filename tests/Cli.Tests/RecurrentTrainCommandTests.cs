using System.Text.Json;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// <c>train --architecture lstm|gru|attention-rnn</c>: a recurrent classifier trained from scratch, then <c>evaluate</c>d
/// from its zip, and the attention-RNN's weights over time drawn by <c>attention</c>.
/// </summary>
[TestClass]
public sealed class RecurrentTrainCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    private string WorkFile(string name) => Path.Combine(TestContext.TestRunDirectory!, $"{TestContext.TestName}-{name}");

    private static string[] RecurrentTraining(string architecture, params string[] more) =>
        ["train", "--architecture", architecture, "--tokenizer", ClassifierFixture.Tokenizer, "--epochs", "1", "--batch-size", "16",
         "--max-length", $"{ClassifierFixture.QuickMaxLength}", "--seed", "7", .. more];

    [TestMethod]
    public void Train_an_attention_rnn_then_evaluate_it()
    {
        var rows = ClassifierFixture.Sentences();
        var train = ClassifierFixture.WriteTsv(WorkFile("train.tsv"), rows.Take(120));
        var test = ClassifierFixture.WriteTsv(WorkFile("test.tsv"), rows.Skip(120).Take(40));
        var model = WorkFile("rnn.zip");
        var trained = CliRunner.Run(RecurrentTraining("attention-rnn", "--data", train, "--text-column", "sentence", "--label-column", "label", "--output", model));
        Assert.AreEqual(0, trained.ExitCode, trained.StandardError);
        StringAssert.Contains(File.ReadAllText(Path.ChangeExtension(model, ".report.html")), "fresh attention-rnn network");

        var metrics = WorkFile("metrics.json");
        var evaluate = CliRunner.Run("evaluate", "--model", model, "--data", test, "--output", metrics);
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.StandardError);
        using var json = JsonDocument.Parse(File.ReadAllText(metrics));
        Assert.AreEqual(40, json.RootElement.GetProperty("rows").GetInt32());

        var page = WorkFile("attention.svg");
        var attention = CliRunner.Run("attention", "--model", model, "--text", "not good at all", "--output", page);
        Assert.AreEqual(0, attention.ExitCode, attention.StandardError);
        StringAssert.Contains(attention.StandardOutput, "1 layers × 1 heads over 6 tokens", "[CLS] not good at all [SEP]: the weights over time, one row");
        StringAssert.Contains(File.ReadAllText(page), "<svg");

        var onnx = WorkFile("rnn.onnx");
        CliAssert.BadInput(CliRunner.Run("export-onnx", "--model", model, "--output", onnx), onnx, "attention-rnn", "only transformer");
    }

    [TestMethod]
    public void Train_refuses_a_checkpoint_or_an_unknown_architecture()
    {
        var data = ClassifierFixture.WriteTsv(WorkFile("train.tsv"), ClassifierFixture.Sentences().Take(40));
        var output = WorkFile("model.zip");
        string[] columns = ["--data", data, "--text-column", "sentence", "--label-column", "label", "--output", output];
        CliAssert.BadInput(CliRunner.Run(RecurrentTraining("lstm", [.. columns, "--model", TestContext.TestRunDirectory!])), output, "--architecture lstm", "--model");
        CliAssert.BadInput(CliRunner.Run(RecurrentTraining("rnn", columns)), output, "--architecture rnn", "attention-rnn");
    }
}
