using System.Text.Json;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// <c>train</c>, <c>evaluate</c> and <c>predict</c> end to end on a tiny model: the zip, report and metrics files;
/// evaluate's JSON against the same metrics computed independently from predict's output; predict's order and format
/// for every input type.
/// </summary>
[TestClass]
public sealed class ClassifierCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    private string WorkFile(string name) => Path.Combine(TestContext.TestRunDirectory!, $"{TestContext.TestName}-{name}");

    private static ClassifierFixture.Trained Trained()
    {
        var trained = ClassifierFixture.Get();
        Assert.AreEqual(0, trained.Result.ExitCode, trained.Result.StandardError);
        return trained;
    }

    [TestMethod]
    public void Train_writes_the_model_a_report_with_svg_charts_and_the_metrics()
    {
        var trained = Trained();
        Assert.IsTrue(File.Exists(trained.ModelPath));
        var report = File.ReadAllText(Path.Combine(trained.Directory, "sentiment.report.html"));
        StringAssert.Contains(report, "<svg");
        StringAssert.Contains(report, "Confusion matrix");
        StringAssert.Contains(report, "Training loss");
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(trained.Directory, "sentiment.metrics.json")));
        Assert.AreEqual(60, metrics.RootElement.GetProperty("rows").GetInt32(), "measured on the validation rows");
        Assert.AreEqual(string.Empty, Directory.GetFiles(trained.Directory, "*.tmp").FirstOrDefault() ?? string.Empty, "no temporary file left");
        StringAssert.Contains(trained.Result.StandardOutput, "Accuracy");
    }

    [TestMethod]
    public void Evaluate_json_equals_the_metrics_computed_from_predict_output()
    {
        var trained = Trained();
        var metricsPath = WorkFile("metrics.json");
        var predictions = WorkFile("predictions.jsonl");

        var evaluate = CliRunner.Run("evaluate", "--model", trained.ModelPath, "--data", trained.TestPath, "--output", metricsPath);
        var predict = CliRunner.Run("predict", "--model", trained.ModelPath, "--input", trained.TestPath, "--output", predictions);

        Assert.AreEqual(0, evaluate.ExitCode, evaluate.StandardError);
        Assert.AreEqual(0, predict.ExitCode, predict.StandardError);
        StringAssert.Contains(evaluate.StandardOutput, "Macro accuracy");
        var truth = File.ReadLines(trained.TestPath).Skip(1).Select(line => line.Split('\t')[1]).ToArray();
        var rows = ReadPredictions(predictions);
        Assert.HasCount(truth.Length, rows);

        // Independent computation: accuracy, balanced accuracy (mean recall over classes present), mean -ln p(truth).
        double accuracy = truth.Zip(rows).Count(p => p.First == p.Second.Label) / (double)truth.Length;
        double macro = truth.Distinct().Average(c => truth.Zip(rows).Where(p => p.First == c).Average(p => p.Second.Label == c ? 1.0 : 0.0));
        double logLoss = truth.Zip(rows).Average(p => -Math.Log(Math.Max(p.Second.Scores[p.First], 1e-15)));
        // Log-loss reduction: the improvement over always predicting the test set's class frequencies.
        double priorLogLoss = truth.GroupBy(t => t).Sum(g => -(g.Count() / (double)truth.Length) * Math.Log(g.Count() / (double)truth.Length));

        using var json = JsonDocument.Parse(File.ReadAllText(metricsPath));
        var root = json.RootElement;
        Assert.AreEqual(accuracy, root.GetProperty("accuracy").GetDouble(), 1e-12);
        Assert.AreEqual(macro, root.GetProperty("macro_accuracy").GetDouble(), 1e-12);
        Assert.AreEqual(logLoss, root.GetProperty("log_loss").GetDouble(), 1e-5);
        Assert.AreEqual((priorLogLoss - logLoss) / priorLogLoss, root.GetProperty("log_loss_reduction").GetDouble(), 1e-4);
        var classes = root.GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("label").GetString()!);
        foreach (var (name, entry) in classes)
        {
            int truePositives = truth.Zip(rows).Count(p => p.First == name && p.Second.Label == name);
            int predicted = rows.Count(r => r.Label == name), actual = truth.Count(t => t == name);
            Assert.AreEqual(predicted == 0 ? 0 : truePositives / (double)predicted, entry.GetProperty("precision").GetDouble(), 1e-12, $"precision of {name}");
            Assert.AreEqual(actual == 0 ? 0 : truePositives / (double)actual, entry.GetProperty("recall").GetDouble(), 1e-12, $"recall of {name}");
        }
    }

    [TestMethod]
    public void Evaluate_in_int8_scores_close_to_float32()
    {
        var trained = Trained();
        var (exactPath, int8Path) = (WorkFile("float32.json"), WorkFile("int8.json"));

        var exact = CliRunner.Run("evaluate", "--model", trained.ModelPath, "--data", trained.TestPath, "--output", exactPath);
        var int8 = CliRunner.Run("evaluate", "--model", trained.ModelPath, "--data", trained.TestPath, "--output", int8Path, "--precision", "int8");
        var unknown = CliRunner.Run("evaluate", "--model", trained.ModelPath, "--data", trained.TestPath, "--precision", "int4");

        Assert.AreEqual(0, exact.ExitCode, exact.StandardError);
        Assert.AreEqual(0, int8.ExitCode, int8.StandardError);
        Assert.AreNotEqual(0, unknown.ExitCode);
        StringAssert.Contains(unknown.StandardError, "int4");
        double Metric(string path, string name) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty(name).GetDouble();
        // 60 rows: one prediction flipped moves the accuracy by 1/60; the log loss shows the scores moved, a little.
        Assert.AreEqual(Metric(exactPath, "accuracy"), Metric(int8Path, "accuracy"), 2.0 / 60);
        Assert.AreNotEqual(Metric(exactPath, "log_loss"), Metric(int8Path, "log_loss"));
        Assert.AreEqual(Metric(exactPath, "log_loss"), Metric(int8Path, "log_loss"), 0.05);
    }

    [TestMethod]
    public void Predict_writes_one_line_per_row_in_order_for_txt_jsonl_and_tsv_inputs()
    {
        var trained = Trained();
        var sentences = File.ReadLines(trained.TestPath).Skip(1).Select(line => line.Split('\t')[0]).ToArray();
        var txt = WorkFile("input.txt");
        File.WriteAllLines(txt, sentences);
        var jsonl = WorkFile("input.jsonl");
        File.WriteAllLines(jsonl, sentences.Select(s => JsonSerializer.Serialize(new { text = s })));

        var outputs = new[] { txt, jsonl, trained.TestPath }.Select(input =>
        {
            var output = WorkFile(Path.GetExtension(input).TrimStart('.') + ".out.jsonl");
            var result = CliRunner.Run("predict", "--model", trained.ModelPath, "--input", input, "--output", output);
            Assert.AreEqual(0, result.ExitCode, result.StandardError);
            return File.ReadAllLines(output);
        }).ToArray();

        Assert.HasCount(sentences.Length, outputs[0]);
        CollectionAssert.AreEqual(outputs[0], outputs[1], ".jsonl text feeds the model's text column");
        CollectionAssert.AreEqual(outputs[0], outputs[2], ".tsv uses the training column names");
        foreach (var line in outputs[0])
        {
            using var json = JsonDocument.Parse(line);
            CollectionAssert.AreEqual(new[] { "predicted_label", "scores" }, json.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
            var scores = json.RootElement.GetProperty("scores").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            CollectionAssert.AreEquivalent(new[] { "negative", "positive" }, scores.Keys.ToArray());
            Assert.AreEqual(1.0, scores.Values.Sum(), 1e-5, "probabilities");
            Assert.AreEqual(scores.MaxBy(p => p.Value).Key, json.RootElement.GetProperty("predicted_label").GetString(), "the most probable class");
        }

        // Order: each line is the prediction of its own row (a row alone gives the same line).
        var single = WorkFile("single.txt");
        File.WriteAllLines(single, [sentences[^1]]);
        var singleOutput = WorkFile("single.out.jsonl");
        Assert.AreEqual(0, CliRunner.Run("predict", "--model", trained.ModelPath, "--input", single, "--output", singleOutput).ExitCode);
        AssertSamePrediction(outputs[0][^1], File.ReadAllLines(singleOutput).Single());
    }

    [TestMethod]
    public void Train_and_predict_say_how_many_rows_were_truncated()
    {
        const int maxLength = 8;
        var rows = ClassifierFixture.Sentences().Take(40).ToArray();
        var data = ClassifierFixture.WriteTsv(WorkFile("train.tsv"), rows);
        var model = WorkFile("short.zip");
        var expected = ClassifierFixture.LongerThan(rows.Select(r => r.Sentence), maxLength);
        Assert.IsTrue(expected is > 0 and < 40, $"the data must have short and long rows ({expected} long)");

        var training = CliRunner.Run(ClassifierFixture.QuickTraining(maxLength, "--data", data, "--text-column", "sentence", "--label-column", "label",
            "--output", model));

        Assert.AreEqual(0, training.ExitCode, training.StandardError);
        StringAssert.Contains(training.StandardError, $"warning: {expected} of 40 training rows were longer than {maxLength} tokens and were truncated.");

        var input = WorkFile("input.txt");
        string[] texts = ["good", "the food was great and the staff were friendly and quick", "bad", "I would not go back there again, ever"];
        File.WriteAllLines(input, texts);
        var predict = CliRunner.Run("predict", "--model", model, "--input", input, "--output", WorkFile("out.jsonl"));
        Assert.AreEqual(0, predict.ExitCode, predict.StandardError);
        Assert.AreEqual(2, ClassifierFixture.LongerThan(texts, maxLength), "two of the inputs are long");
        StringAssert.Contains(predict.StandardError, $"warning: 2 of 4 rows were longer than {maxLength} tokens and were truncated.");
    }

    [TestMethod]
    public void Evaluate_on_one_class_data_says_the_log_loss_reduction_is_undefined()
    {
        var trained = Trained();
        var data = ClassifierFixture.WriteTsv(WorkFile("positive-only.tsv"), ClassifierFixture.Sentences().Skip(300).Where(r => r.Label == "positive").Take(12));
        var metricsPath = WorkFile("metrics.json");

        var result = CliRunner.Run("evaluate", "--model", trained.ModelPath, "--data", data, "--output", metricsPath);

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        StringAssert.Contains(result.StandardOutput, "undefined (the data has one class)");
        using var json = JsonDocument.Parse(File.ReadAllText(metricsPath));
        Assert.AreEqual(JsonValueKind.Null, json.RootElement.GetProperty("log_loss_reduction").ValueKind);
        Assert.AreEqual(12, json.RootElement.GetProperty("rows").GetInt32());
        Assert.IsTrue(double.IsFinite(json.RootElement.GetProperty("log_loss").GetDouble()));
    }

    [TestMethod]
    public void Predict_warns_about_tsv_rows_that_ml_net_reads_as_comments()
    {
        var trained = Trained();
        var input = WorkFile("comments.tsv");
        File.WriteAllLines(input, ["sentence\tlabel", "great food\tpositive", "// looks like a comment\tnegative", "", "awful\tnegative"]);
        var output = WorkFile("out.jsonl");

        var result = CliRunner.Run("predict", "--model", trained.ModelPath, "--input", input, "--output", output);

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        StringAssert.Contains(result.StandardError, "1 line(s) starting with '//' were skipped");
        StringAssert.Contains(result.StandardError, "line 3");
        Assert.HasCount(2, File.ReadAllLines(output), "the rows ML.NET's TextLoader reads: blank and comment lines are not rows");
    }

    [TestMethod]
    public void A_pair_model_reads_text_pair_fields_and_the_pair_column()
    {
        var rows = ClassifierFixture.Sentences().Take(64).ToArray();
        // Pair task: do the two sentences have the same sentiment?
        var pairs = rows.Zip(rows.Skip(1)).Select(p => (p.First.Sentence, p.Second.Sentence, p.First.Label == p.Second.Label ? "same" : "different")).ToArray();
        var train = WorkFile("pairs.tsv");
        File.WriteAllLines(train, ["premise\thypothesis\trelation", .. pairs.Select(p => $"{p.Item1}\t{p.Item2}\t{p.Item3}")]);
        var model = WorkFile("pairs.zip");

        var training = CliRunner.Run(ClassifierFixture.QuickTraining("--data", train, "--text-column", "premise", "--text-pair-column", "hypothesis",
            "--label-column", "relation", "--output", model));
        Assert.AreEqual(0, training.ExitCode, training.StandardError);

        var jsonl = WorkFile("pairs.jsonl");
        File.WriteAllLines(jsonl, pairs.Select(p => JsonSerializer.Serialize(new { text = p.Item1, text_pair = p.Item2 })));
        var fromJsonl = WorkFile("jsonl.out.jsonl");
        var fromTsv = WorkFile("tsv.out.jsonl");
        Assert.AreEqual(0, CliRunner.Run("predict", "--model", model, "--input", jsonl, "--output", fromJsonl).ExitCode);
        Assert.AreEqual(0, CliRunner.Run("predict", "--model", model, "--input", train, "--output", fromTsv).ExitCode);
        CollectionAssert.AreEqual(File.ReadAllLines(fromTsv), File.ReadAllLines(fromJsonl));
        Assert.HasCount(pairs.Length, File.ReadAllLines(fromTsv));

        // The second text really feeds the model: other pairs give other scores; a .txt (no second text) is refused.
        var swapped = WorkFile("swapped.jsonl");
        File.WriteAllLines(swapped, pairs.Select(p => JsonSerializer.Serialize(new { text = p.Item1, text_pair = "the end" })));
        var fromSwapped = WorkFile("swapped.out.jsonl");
        Assert.AreEqual(0, CliRunner.Run("predict", "--model", model, "--input", swapped, "--output", fromSwapped).ExitCode);
        CollectionAssert.AreNotEqual(File.ReadAllLines(fromTsv), File.ReadAllLines(fromSwapped));
        var firstOnly = WorkFile("first-only.txt");
        File.WriteAllLines(firstOnly, pairs.Select(p => p.Item1));
        var refused = CliRunner.Run("predict", "--model", model, "--input", firstOnly, "--output", WorkFile("txt.out.jsonl"));
        Assert.AreEqual(2, refused.ExitCode);
        StringAssert.Contains(refused.StandardError, "'hypothesis'");
    }

    [TestMethod]
    public void Columns_names_the_fields_of_a_file_without_a_header()
    {
        var trained = Trained();
        var headerless = WorkFile("headerless.tsv");
        File.WriteAllLines(headerless, File.ReadLines(trained.TestPath).Skip(1));
        var withHeader = WorkFile("with-header.json");
        var without = WorkFile("without-header.json");

        Assert.AreEqual(0, CliRunner.Run("evaluate", "--model", trained.ModelPath, "--data", trained.TestPath, "--output", withHeader).ExitCode);
        var result = CliRunner.Run("evaluate", "--model", trained.ModelPath, "--data", headerless, "--columns", "sentence,label", "--output", without);

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        Assert.AreEqual(File.ReadAllText(withHeader), File.ReadAllText(without));
    }

    private static void AssertSamePrediction(string expected, string actual)
    {
        using var a = JsonDocument.Parse(expected);
        using var b = JsonDocument.Parse(actual);
        Assert.AreEqual(a.RootElement.GetProperty("predicted_label").GetString(), b.RootElement.GetProperty("predicted_label").GetString());
        foreach (var score in a.RootElement.GetProperty("scores").EnumerateObject())
            Assert.AreEqual(score.Value.GetDouble(), b.RootElement.GetProperty("scores").GetProperty(score.Name).GetDouble(), 1e-5, score.Name);
    }

    private static List<(string Label, Dictionary<string, double> Scores)> ReadPredictions(string path) =>
        [.. File.ReadLines(path).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return (json.RootElement.GetProperty("predicted_label").GetString()!,
                json.RootElement.GetProperty("scores").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()));
        })];
}
