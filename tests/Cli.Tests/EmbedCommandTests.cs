using System.Text.Json;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// The <c>embed</c> command end to end against the PyTorch reference embeddings of tools/reference/embed (the
/// Transforms.Tests fixture), and its error convention (exit code 2, one line, no output file).
/// </summary>
[TestClass]
public sealed class EmbedCommandTests
{
    private const float Tolerance = 1e-4f;
    private static readonly string Fixtures = TestPaths.Fixture("Transforms.Tests", "fixtures");
    private static readonly string Model = Path.Combine(Fixtures, "embed");

    public TestContext TestContext { get; set; } = null!;

    private string WorkFile(string name) => Path.Combine(TestContext.TestRunDirectory!, $"{TestContext.TestName}-{name}");

    [TestMethod]
    public void TextInputUsesTheCheckpointDefaultsAndCountsTruncatedInputs()
    {
        var output = WorkFile("output.jsonl");

        var result = CliRunner.Run("embed", "--model", Model, "--input", Path.Combine(Model, "texts.txt"), "--output", output);

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        AssertClose(Expected("truncate.mean.normalized"), Embeddings(output));
        StringAssert.Contains(result.StandardError, "5 of 14 inputs were longer than 16 tokens and were truncated");
    }

    [TestMethod]
    public void PoolingMaxLengthAndBatchSizeOptionsApply()
    {
        var output = WorkFile("output.jsonl");

        var result = CliRunner.Run("embed", "--model", Model, "--input", Path.Combine(Model, "texts.txt"), "--output", output,
            "--pooling", "cls", "--normalize", "--max-length", "16", "--batch-size", "3");

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        AssertClose(Expected("truncate.cls.normalized"), Embeddings(output));
    }

    [TestMethod]
    public void JsonlPairsAreEmbeddedTogether()
    {
        using var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "embed-cases.json")));
        var input = WorkFile("input.jsonl");
        File.WriteAllLines(input, cases.RootElement.GetProperty("pairs").EnumerateArray().Select(p =>
            JsonSerializer.Serialize(new { text = p[0].GetString(), text_pair = p[1].GetString() })));
        var output = WorkFile("output.jsonl");

        var result = CliRunner.Run("embed", "--model", Model, "--input", input, "--output", output, "--pooling", "max");

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        var normalized = Expected("pair.max").Select(row =>
        {
            var norm = MathF.Sqrt(row.Sum(v => v * v));
            return row.Select(v => v / norm).ToArray();
        }).ToArray();
        AssertClose(normalized, Embeddings(output));
    }

    [TestMethod]
    [DataRow("bad-line", "line 2")]
    [DataRow("max-length", "--max-length 41")]
    [DataRow("pooling", "'median' not recognized")]
    [DataRow("model", "no-such-model")]
    public void BadInputExitsWithTwoAndOneLineAndNoOutput(string problem, string named)
    {
        var input = WorkFile("input.jsonl");
        File.WriteAllLines(input, ["{\"text\": \"good movie\"}", problem == "bad-line" ? "{\"text\": 3}" : "{\"text\": \"bad\"}"]);
        var output = WorkFile("output.jsonl");
        string[] extra = problem switch
        {
            "max-length" => ["--max-length", "41"],
            "pooling" => ["--pooling", "median"],
            _ => [],
        };

        var result = CliRunner.Run(["embed", "--model", problem == "model" ? "no-such-model" : Model, "--input", input, "--output", output, .. extra]);

        Assert.AreEqual(2, result.ExitCode, result.StandardError);
        Assert.HasCount(1, result.StandardError.TrimEnd().Split('\n'), result.StandardError);
        StringAssert.Contains(result.StandardError, named);
        Assert.IsFalse(File.Exists(output), "no output file on bad input");
    }

    private static float[][] Expected(string name)
    {
        using var reader = SafetensorsReader.Open(Path.Combine(Fixtures, "embed-expected.safetensors"));
        return [.. reader.ReadSingle(name).Chunk((int)reader.Describe(name).Shape[1])];
    }

    private static float[][] Embeddings(string path) =>
        [.. File.ReadAllLines(path).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        })];

    private static void AssertClose(float[][] expected, float[][] actual)
    {
        Assert.HasCount(expected.Length, actual);
        for (var row = 0; row < expected.Length; row++)
        {
            Assert.HasCount(expected[row].Length, actual[row]);
            for (var c = 0; c < expected[row].Length; c++) Assert.AreEqual(expected[row][c], actual[row][c], Tolerance, $"row {row}, element {c}");
        }
    }
}
