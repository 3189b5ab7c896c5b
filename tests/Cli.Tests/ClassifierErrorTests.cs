using System.IO.Compression;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// The error convention of <c>train</c>, <c>evaluate</c> and <c>predict</c>: exit code 2, one line on stderr naming
/// the file (and column, row or value) and what is wrong, and no output file left behind.
/// </summary>
[TestClass]
public sealed class ClassifierErrorTests
{
    public TestContext TestContext { get; set; } = null!;

    private string WorkFile(string name) => Path.Combine(TestContext.TestRunDirectory!, $"{TestContext.TestName}-{name}");

    private string TrainingFile() => ClassifierFixture.WriteTsv(WorkFile("train.tsv"), ClassifierFixture.Sentences().Take(40));

    [TestMethod]
    public void Train_names_a_missing_column()
    {
        var data = TrainingFile();
        var output = WorkFile("model.zip");
        var result = CliRunner.Run(ClassifierFixture.QuickTraining("--data", data, "--text-column", "review", "--label-column", "label", "--output", output));
        CliAssert.BadInput(result, output, data, "'review'", "sentence, label");
    }

    [TestMethod]
    public void Train_names_a_missing_data_file()
    {
        var data = WorkFile("absent.tsv");
        var output = WorkFile("model.zip");
        var result = CliRunner.Run(ClassifierFixture.QuickTraining("--data", data, "--text-column", "sentence", "--label-column", "label", "--output", output));
        CliAssert.BadInput(result, output, data);
    }

    [TestMethod]
    public void Train_names_the_line_of_a_bad_row()
    {
        var data = WorkFile("bad-row.tsv");
        File.WriteAllLines(data, ["sentence\tlabel", "fine\tpositive", "no label field here", "bad\tnegative"]);
        var output = WorkFile("model.zip");
        var result = CliRunner.Run(ClassifierFixture.QuickTraining("--data", data, "--text-column", "sentence", "--label-column", "label", "--output", output));
        CliAssert.BadInput(result, output, data, "line 3");
    }

    [TestMethod]
    public void Train_names_the_line_of_broken_csv_quoting_and_of_a_row_with_extra_fields()
    {
        var output = WorkFile("model.zip");
        var csv = WorkFile("quoting.csv");
        File.WriteAllLines(csv, ["sentence,label", "\"fine, really\",positive", "\"he said \"hi\" to me\",negative", "ok,positive"]);
        CliAssert.BadInput(CliRunner.Run(ClassifierFixture.QuickTraining("--data", csv, "--text-column", "sentence", "--label-column", "label",
            "--output", output)), output, csv, "line 3", "closing quote");

        var tsv = WorkFile("extra.tsv");
        File.WriteAllLines(tsv, ["sentence\tlabel", "fine\tpositive", "a tab\tinside\tnegative"]);
        CliAssert.BadInput(CliRunner.Run(ClassifierFixture.QuickTraining("--data", tsv, "--text-column", "sentence", "--label-column", "label",
            "--output", output)), output, tsv, "line 3", "3 fields");
    }

    [TestMethod]
    public void Train_refuses_a_single_class()
    {
        var data = ClassifierFixture.WriteTsv(WorkFile("one-class.tsv"), ClassifierFixture.Sentences().Where(r => r.Label == "positive").Take(10));
        var output = WorkFile("model.zip");
        var result = CliRunner.Run(ClassifierFixture.QuickTraining("--data", data, "--text-column", "sentence", "--label-column", "label", "--output", output));
        CliAssert.BadInput(result, output, data, "one class");
    }

    [TestMethod]
    public void Train_names_a_validation_label_that_training_never_saw()
    {
        var data = TrainingFile();
        var validation = WorkFile("validation.tsv");
        File.WriteAllLines(validation, ["sentence\tlabel", "good\tpositive", "meh\tneutral"]);
        var output = WorkFile("model.zip");
        var result = CliRunner.Run(ClassifierFixture.QuickTraining("--data", data, "--validation", validation, "--text-column", "sentence",
            "--label-column", "label", "--output", output));
        CliAssert.BadInput(result, output, validation, "row 2", "'neutral'");
    }

    [TestMethod]
    public void Evaluate_names_a_label_that_training_never_saw()
    {
        var trained = ClassifierFixture.Get();
        var data = WorkFile("unseen.tsv");
        File.WriteAllLines(data, ["sentence\tlabel", "great food\tpositive", "bad food\tnegative", "it is food\tneutral"]);
        var output = WorkFile("metrics.json");
        var result = CliRunner.Run("evaluate", "--model", trained.ModelPath, "--data", data, "--output", output);
        CliAssert.BadInput(result, output, data, "row 3", "'neutral'");
    }

    [TestMethod]
    public void Evaluate_names_a_missing_label_column()
    {
        var trained = ClassifierFixture.Get();
        var data = WorkFile("texts.jsonl");
        File.WriteAllLines(data, ["{\"sentence\": \"great food\"}"]);
        var output = WorkFile("metrics.json");
        CliAssert.BadInput(CliRunner.Run("evaluate", "--model", trained.ModelPath, "--data", data, "--output", output), output, data, "'label'");
    }

    [TestMethod]
    public void Predict_rejects_a_file_that_is_not_a_model()
    {
        var model = WorkFile("not-a-model.zip");
        File.WriteAllText(model, "hello");
        var input = WorkFile("input.txt");
        File.WriteAllLines(input, ["great food"]);
        var output = WorkFile("out.jsonl");
        CliAssert.BadInput(CliRunner.Run("predict", "--model", model, "--input", input, "--output", output), output, model);
    }

    [TestMethod]
    public void Predict_names_a_damaged_model_zip()
    {
        var trained = ClassifierFixture.Get();
        var input = WorkFile("input.txt");
        File.WriteAllLines(input, ["great food"]);
        var output = WorkFile("out.jsonl");

        var truncated = WorkFile("truncated.zip");
        var bytes = File.ReadAllBytes(trained.ModelPath);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        CliAssert.BadInput(CliRunner.Run("predict", "--model", truncated, "--input", input, "--output", output), output, truncated, "not a model zip");

        // A whole zip whose weights entry is cut short: the component's loader refuses it, and the message names the zip.
        var damaged = WorkFile("damaged.zip");
        File.Copy(trained.ModelPath, damaged, overwrite: true);
        using (var zip = ZipFile.Open(damaged, ZipArchiveMode.Update))
        {
            var weights = zip.Entries.Single(e => e.Name.EndsWith(".safetensors", StringComparison.Ordinal));
            var name = weights.FullName;
            weights.Delete();
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(new byte[16]);
        }
        CliAssert.BadInput(CliRunner.Run("predict", "--model", damaged, "--input", input, "--output", output), output, damaged, "not a model zip");
    }

    [TestMethod]
    public void Predict_names_a_missing_model_and_a_bad_jsonl_line()
    {
        var trained = ClassifierFixture.Get();
        var input = WorkFile("input.jsonl");
        File.WriteAllLines(input, ["{\"text\": \"fine\"}", "{\"text\": "]);
        var output = WorkFile("out.jsonl");
        var absent = WorkFile("absent.zip");
        CliAssert.BadInput(CliRunner.Run("predict", "--model", absent, "--input", input, "--output", output), output, absent);
        CliAssert.BadInput(CliRunner.Run("predict", "--model", trained.ModelPath, "--input", input, "--output", output), output, input, "line 2");
    }

    [TestMethod]
    public void Ctrl_c_cancels_training_without_writing_a_model()
    {
        var data = TrainingFile();
        var output = WorkFile("model.zip");
        var result = CliRunner.RunAndInterrupt("training:", "train", "--preset", "tiny", "--tokenizer", ClassifierFixture.Tokenizer,
            "--epochs", "100000", "--max-length", "16", "--data", data, "--text-column", "sentence", "--label-column", "label", "--output", output);
        Assert.AreEqual(130, result.ExitCode, result.StandardError);
        StringAssert.Contains(result.StandardError, "cancelled");
        Assert.IsFalse(File.Exists(output));
        Assert.IsFalse(File.Exists(Path.ChangeExtension(output, ".report.html")));
    }
}
