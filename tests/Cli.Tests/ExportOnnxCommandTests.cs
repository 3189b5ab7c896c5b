using System.Text.Json;
using Microsoft.ML;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Onnx.Export;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tests.Onnx;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// <c>export-onnx</c> end to end: a zip written by <c>train</c> and the real all-MiniLM-L6-v2 folder exported, then run by
/// ONNX Runtime for .NET on real SST-2 dev sentences (tokenized with the tokenizer written beside the export), equal
/// within 1e-4 to what <c>predict</c> and <c>embed</c> print for the same sentences; bad input gives one line, exit
/// code 2 and nothing written.
/// </summary>
[TestClass]
public sealed class ExportOnnxCommandTests
{
    private const int SentenceCount = 32, BatchSize = 8;
    private const double Tolerance = 1e-4;

    public TestContext TestContext { get; set; } = null!;

    private string WorkFolder()
    {
        var folder = Path.Combine(TestContext.TestRunDirectory!, $"{TestContext.TestName}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static IReadOnlyList<string> Sentences => Sst2.Sentences("dev", SentenceCount);

    [TestMethod]
    public void AZipFromTrainExportsTheClassifierThatPredictRuns()
    {
        var trained = ClassifierFixture.Get();
        Assert.AreEqual(0, trained.Result.ExitCode, trained.Result.StandardError);
        var folder = WorkFolder();
        var output = Path.Combine(folder, "export", "sentiment.onnx");
        var texts = Path.Combine(folder, "texts.txt");
        File.WriteAllLines(texts, Sentences);
        var predictions = Path.Combine(folder, "predictions.jsonl");
        Assert.AreEqual(0, CliRunner.Run("predict", "--model", trained.ModelPath, "--input", texts, "--output", predictions).ExitCode);

        var result = CliRunner.Run("export-onnx", "--model", trained.ModelPath, "--output", output);

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        StringAssert.Contains(result.StandardOutput, "text classifier");
        CollectionAssert.AreEquivalent(new[] { "sentiment.onnx", "config.json", "vocab.txt" },
            Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!).Select(Path.GetFileName).ToArray());
        var expected = File.ReadAllLines(predictions).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("scores")).ToList();
        var classes = expected[0].EnumerateObject().Select(p => p.Name).ToArray();
        var probabilities = RunExport(output, "vocab.txt", ClassifierFixture.QuickMaxLength, OnnxExportNames.Probabilities, classes.Length);
        var largest = expected.Select((scores, row) => classes.Select((name, c) => Math.Abs(scores.GetProperty(name).GetDouble() - probabilities[row][c])).Max()).Max();
        Console.WriteLine($"classes {string.Join(", ", classes)}: largest difference from predict {largest:E2}");
        Assert.IsLessThanOrEqualTo(Tolerance, largest);
    }

    [TestMethod]
    public void ACheckpointFolderExportsTheEmbedderThatEmbedRuns()
    {
        var model = TestPaths.SharedPath("models", "all-MiniLM-L6-v2");
        var folder = WorkFolder();
        var output = Path.Combine(folder, "minilm.onnx");
        var texts = Path.Combine(folder, "texts.txt");
        File.WriteAllLines(texts, Sentences);
        var embeddings = Path.Combine(folder, "embeddings.jsonl");
        Assert.AreEqual(0, CliRunner.Run("embed", "--model", model, "--input", texts, "--output", embeddings).ExitCode);

        var result = CliRunner.Run("export-onnx", "--model", model, "--output", output);

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        StringAssert.Contains(result.StandardOutput, "mean pooling, normalised");
        var expected = File.ReadAllLines(embeddings)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
        var vectors = RunExport(output, "tokenizer.json", maxLength: null, OnnxExportNames.SentenceEmbedding, expected[0].Length);
        var largest = expected.Zip(vectors, (e, v) => OnnxRuntimeRunner.MaxDifference(e, v)).Max();
        Console.WriteLine($"largest difference from embed {largest:E2}");
        Assert.IsLessThanOrEqualTo(Tolerance, largest);
    }

    [TestMethod]
    [DataRow("text file")]
    [DataRow("missing")]
    [DataRow("not .onnx")]
    [DataRow("no transformer")]
    public void BadInputExitsWithTwoAndOneLineAndWritesNothing(string problem)
    {
        var folder = WorkFolder();
        var output = Path.Combine(folder, "out", problem == "not .onnx" ? "model.bin" : "model.onnx");
        var model = problem switch
        {
            "text file" => WriteText(Path.Combine(folder, "notes.txt")),
            "missing" => Path.Combine(folder, "no-such-model.zip"),
            "not .onnx" => TestPaths.SharedPath("models", "all-MiniLM-L6-v2"),
            _ => KeyMappingZip(Path.Combine(folder, "keys.zip")),
        };

        var result = CliRunner.Run("export-onnx", "--model", model, "--output", output);

        CliAssert.BadInput(result, null, problem == "not .onnx" ? "model.bin" : Path.GetFileName(model));
        Assert.IsFalse(Directory.Exists(Path.GetDirectoryName(output)), "nothing written");
    }

    /// <summary>
    /// The <paramref name="outputName"/> rows of the exported model for the test sentences, in batches padded by hand,
    /// with ids from the tokenizer file written beside the export (truncated to <paramref name="maxLength"/> when set).
    /// </summary>
    private static List<float[]> RunExport(string path, string tokenizerFile, int? maxLength, string outputName, int width)
    {
        var tokenizer = Tokenizer.Load(Path.Combine(Path.GetDirectoryName(path)!, tokenizerFile));
        var settings = new EncodingSettings
        {
            Truncation = maxLength is { } length ? new TruncationOptions { MaxLength = length } : tokenizer.Settings.Truncation,
        };
        using var session = OnnxRuntimeRunner.Open(path);
        var rows = new List<float[]>();
        foreach (var chunk in tokenizer.EncodeBatch(Sentences, settings).Chunk(BatchSize))
        {
            var batch = EncoderBatch.Pad([.. chunk.Select(e => e.Ids)], [.. chunk.Select(e => e.TypeIds)], padTokenId: 0);
            rows.AddRange(OnnxRuntimeRunner.Run(session, batch)[outputName].Chunk(width));
        }
        return rows;
    }

    private static string WriteText(string path)
    {
        File.WriteAllText(path, "not a model\n");
        return path;
    }

    private sealed class LabelRow
    {
        public string Label { get; set; } = "";
    }

    /// <summary>A valid ML.NET zip holding only a key mapping: no transformer of ours to export.</summary>
    private static string KeyMappingZip(string path)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new LabelRow { Label = "a" } });
        ml.Model.Save(ml.Transforms.Conversion.MapValueToKey("Label").Fit(data), data.Schema, path);
        return path;
    }
}
