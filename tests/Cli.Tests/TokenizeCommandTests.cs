using System.Text.Json;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// The <c>tokenize</c> command end to end: its output against Hugging Face tokenizers' ids (the Tokenizers.Tests
/// reference cases), truncation, and the error convention (exit code 2, one line naming the file, no output file).
/// </summary>
[TestClass]
public sealed class TokenizeCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    private string WorkFile(string name) => Path.Combine(TestContext.TestRunDirectory!, $"{TestContext.TestName}-{name}");

    [TestMethod]
    [DataRow("bert-vocab", "tokenizers/bert-base-uncased/vocab.txt")]
    [DataRow("bert-json", "models/all-MiniLM-L6-v2-no-weights")]
    [DataRow("gpt2", "tokenizers/gpt2")]
    public void Jsonl_output_matches_hugging_face(string referenceName, string tokenizerPath)
    {
        var cases = ReferenceCases(referenceName);
        var input = WorkFile("input.jsonl");
        File.WriteAllLines(input, cases.Select(c => JsonSerializer.Serialize(new Dictionary<string, string?> { ["text"] = c.Text, ["text_pair"] = c.Pair })));
        var output = WorkFile("output.jsonl");

        var result = CliRunner.Run("tokenize", "--tokenizer", TestPaths.SharedPath(tokenizerPath.Split('/')), "--input", input, "--output", output);

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        var lines = File.ReadAllLines(output);
        Assert.HasCount(cases.Count, lines);
        for (var i = 0; i < cases.Count; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            CollectionAssert.AreEqual(cases[i].Ids, Ints(line.RootElement, "ids"), $"ids of \"{cases[i].Text}\"");
            CollectionAssert.AreEqual(cases[i].TypeIds, Ints(line.RootElement, "type_ids"), $"type ids of \"{cases[i].Text}\"");
        }
    }

    [TestMethod]
    public void Txt_input_gives_one_line_per_text_line_and_max_length_truncates()
    {
        var input = WorkFile("input.txt");
        File.WriteAllLines(input, ["Hello, my dog is cute", "", "a much longer sentence that will not fit in eight tokens at all"]);
        var output = WorkFile("output.jsonl");

        var result = CliRunner.Run("tokenize", "--tokenizer", TestPaths.SharedPath("tokenizers", "bert-base-uncased", "vocab.txt"),
            "--input", input, "--output", output, "--max-length", "8");

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        var lines = File.ReadAllLines(output);
        Assert.AreEqual("{\"ids\": [101, 7592, 1010, 2026, 3899, 2003, 10140, 102], \"type_ids\": [0, 0, 0, 0, 0, 0, 0, 0]}", lines[0]);
        Assert.AreEqual("{\"ids\": [101, 102], \"type_ids\": [0, 0]}", lines[1]);
        using var third = JsonDocument.Parse(lines[2]);
        var ids = Ints(third.RootElement, "ids");
        Assert.HasCount(8, ids);
        Assert.AreEqual(102, ids[^1], "the [SEP] survives truncation");
    }

    [TestMethod]
    public void Missing_tokenizer_is_exit_code_2_with_one_line_naming_it()
    {
        var input = WorkFile("input.txt");
        File.WriteAllText(input, "text\n");
        var missing = WorkFile("no-such-tokenizer");
        var output = WorkFile("output.jsonl");

        var result = CliRunner.Run("tokenize", "--tokenizer", missing, "--input", input, "--output", output);

        Assert.AreEqual(2, result.ExitCode);
        Assert.AreEqual(1, result.StandardError.TrimEnd().Split('\n').Length, result.StandardError);
        StringAssert.Contains(result.StandardError, missing);
        Assert.IsFalse(File.Exists(output), "no output file on error");
    }

    [TestMethod]
    public void Bad_jsonl_line_names_the_line_and_leaves_the_previous_output_untouched()
    {
        var input = WorkFile("input.jsonl");
        File.WriteAllLines(input, ["{\"text\": \"fine\"}", "{\"text\": \"also fine\"}", "{\"txt\": \"wrong field\"}"]);
        var output = WorkFile("output.jsonl");
        File.WriteAllText(output, "previous content\n");

        var result = CliRunner.Run("tokenize", "--tokenizer", TestPaths.SharedPath("tokenizers", "gpt2"), "--input", input, "--output", output);

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.StandardError, $"{input}: line 3");
        Assert.AreEqual("previous content\n", File.ReadAllText(output));
        Assert.IsEmpty(Directory.GetFiles(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.*.tmp"), "the temporary file is removed");
    }

    [TestMethod]
    public void Malformed_tokenizer_json_is_exit_code_2()
    {
        var tokenizer = WorkFile("tokenizer.json");
        File.WriteAllText(tokenizer, "{\"model\": {\"type\": \"Unigram\", \"vocab\": {}}}");
        var input = WorkFile("input.txt");
        File.WriteAllText(input, "text\n");

        var result = CliRunner.Run("tokenize", "--tokenizer", tokenizer, "--input", input, "--output", WorkFile("output.jsonl"));

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.StandardError, "Unigram");
        Assert.DoesNotContain("   at ", result.StandardError, "no stack trace");
    }

    private sealed record ReferenceCase(string Text, string? Pair, int[] Ids, int[] TypeIds);

    /// <summary>The reference cases of one tokenizer that the command reproduces: default settings, well-formed text.</summary>
    private static List<ReferenceCase> ReferenceCases(string tokenizer)
    {
        var cases = new List<ReferenceCase>();
        foreach (var line in File.ReadLines(TestPaths.Fixture("Tokenizers.Tests", "fixtures", "cases.jsonl")))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.GetProperty("tokenizer").GetString() != tokenizer) continue;
            if (root.TryGetProperty("truncation", out _) || root.TryGetProperty("padding", out _) || root.TryGetProperty("add_special_tokens", out _)) continue;
            if (root.TryGetProperty("text_utf16", out _) || root.TryGetProperty("pair_utf16", out _)) continue;
            var expected = root.GetProperty("expected");
            cases.Add(new ReferenceCase(root.GetProperty("text").GetString()!,
                root.TryGetProperty("pair", out var pair) ? pair.GetString() : null,
                Ints(expected, "ids"), Ints(expected, "type_ids")));
        }
        return cases;
    }

    private static int[] Ints(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(value => value.GetInt32()).ToArray();
}
