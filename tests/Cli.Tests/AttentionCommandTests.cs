using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MLNet.Transformers.Models.Attention;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Transforms;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// <c>attention</c>: the page it writes, rendered by a real headless browser, shows the weights the library computes
/// (themselves checked against Hugging Face in Models.Tests); the SVG draws one map; bad options name themselves.
/// </summary>
[TestClass]
public sealed partial class AttentionCommandTests
{
    /// <summary>A small BERT checkpoint (2 layers, 4 heads) whose vocabulary knows every word of <see cref="Text"/>.</summary>
    private static readonly string Model = TestPaths.Fixture("Transforms.Tests", "fixtures", "embed");

    private const string Text = "the movie was not good but the music was brilliant";

    public TestContext TestContext { get; set; } = null!;

    private string WorkFile(string name) => Path.Combine(TestContext.TestRunDirectory!, $"{TestContext.TestName}-{name}");

    [TestMethod]
    public void TheBrowserRendersTheSelectedMapWithTheComputedWeights()
    {
        var output = WorkFile("attention.html");
        var result = CliRunner.Run("attention", "--model", Model, "--text", Text, "--layer", "1", "--head", "2", "--output", output);
        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        var maps = TextAttention.FromPretrained(Model).GetAttention(Text);
        StringAssert.Contains(File.ReadAllText(output), "\"layer\":1,\"head\":2", "the page opens on --layer and --head");

        // The address selects another map; the page's script builds the table for it.
        var dom = HeadlessChromium.DumpDom(new Uri(output).AbsoluteUri + "#layer=0&head=3");

        StringAssert.Contains(dom, "<table id=\"heatmap\" data-layer=\"0\" data-head=\"3\">");
        CollectionAssert.AreEqual(maps.Tokens.ToArray(), HeaderTokens(dom), "column tokens, special tokens included");
        var cells = Cells(dom);
        var expected = maps.Map(0, 3);
        Assert.HasCount(expected.Length, cells);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], cells[i].Weight, $"cell {i / maps.Tokens.Count}, {i % maps.Tokens.Count}");
            Assert.AreEqual(expected[i], cells[i].Shown, 0.005 + 1e-6, $"cell {i}: the two decimals shown");
        }
    }

    [TestMethod]
    public void TheBrowserRendersContextWeightsAsOneRow()
    {
        // An attention-RNN's weights over time: one row, no layers or heads to choose.
        var maps = AttentionMaps.OverTokens(["[CLS]", "not", "good", "[SEP]"], [0.0625f, 0.5f, 0.375f, 0.0625f]);
        var output = WorkFile("context.html");
        using (var writer = new StreamWriter(output)) AttentionHtml.Write(maps, writer);

        var dom = HeadlessChromium.DumpDom(new Uri(output).AbsoluteUri);

        CollectionAssert.AreEqual(maps.Tokens.ToArray(), HeaderTokens(dom));
        CollectionAssert.AreEqual(maps.Weights.ToArray(), Cells(dom).Select(c => c.Weight).ToArray());
        StringAssert.Contains(dom, "<th>context</th>");
        StringAssert.Contains(dom, "<p id=\"controls\" hidden=\"\">", "one map: the selectors are hidden");
    }

    [TestMethod]
    public void TheSvgDrawsOneMap()
    {
        var output = WorkFile("attention.svg");

        var result = CliRunner.Run("attention", "--model", Model, "--text", Text, "--layer", "1", "--head", "3", "--output", output);

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        var maps = TextAttention.FromPretrained(Model).GetAttention(Text);
        var weights = XDocument.Load(output).Descendants().Select(e => e.Attribute("data-weight")?.Value).OfType<string>()
            .Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        CollectionAssert.AreEqual(maps.Map(1, 3).ToArray(), weights);
    }

    [TestMethod]
    public void Gpt2AttentionIsCausal()
    {
        using var checkpoint = TinyGpt2Checkpoint.Create();
        var output = WorkFile("attention.html");

        var result = CliRunner.Run("attention", "--model", checkpoint.Directory, "--text", "Hello world, hello", "--output", output);

        Assert.AreEqual(0, result.ExitCode, result.StandardError);
        var maps = Embedded(File.ReadAllText(output));
        CollectionAssert.AreEqual(new[] { "Hello", "Ġworld", ",", "Ġhello" }, maps.Tokens.ToArray());
        var t = maps.Tokens.Count;
        for (var i = 0; i < t; i++)
            for (var j = i + 1; j < t; j++) Assert.AreEqual(0f, maps.Map(0, 1)[i * t + j], $"query {i} sees no later key {j}");
    }

    [TestMethod]
    [DataRow("--layer", "2", "--layer 2: must be a whole number from 0 to 1 (the model has 2 layers)")]
    [DataRow("--head", "-1", "--head -1: must be a whole number from 0 to 3 (each layer has 4 heads)")]
    public void AnAbsentLayerOrHeadIsNamed(string option, string value, string message)
    {
        var output = WorkFile("attention.html");
        CliAssert.BadInput(CliRunner.Run("attention", "--model", Model, "--text", Text, option, value, "--output", output), output, message);
    }

    [TestMethod]
    public void AnUnknownOutputFormatAndAMissingModelAreNamed()
    {
        var png = WorkFile("attention.png");
        CliAssert.BadInput(CliRunner.Run("attention", "--model", Model, "--text", Text, "--output", png), png, "--output", "must end in .html or .svg");
        var html = WorkFile("attention.html");
        CliAssert.BadInput(CliRunner.Run("attention", "--model", WorkFile("nowhere"), "--text", Text, "--output", html), html, "--model", "no such folder");
    }

    [TestMethod]
    public void TooLongATextIsNamed()
    {
        var output = WorkFile("attention.html");
        var text = string.Join(' ', Enumerable.Repeat("good", 40));
        CliAssert.BadInput(CliRunner.Run("attention", "--model", Model, "--text", text, "--output", output), output, "--text", "42 tokens long");
    }

    /// <summary>The column headers of the rendered table: the tokens.</summary>
    private static string[] HeaderTokens(string dom) =>
        [.. HeaderCell().Matches(dom.Split("<thead>")[1].Split("</thead>")[0]).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).Skip(1)];

    /// <summary>Each rendered cell's weight (data-weight) and the number it shows, in row-major order.</summary>
    private static (float Weight, float Shown)[] Cells(string dom) =>
        [.. BodyCell().Matches(dom).Select(m => (
            float.Parse(m.Groups["weight"].Value, CultureInfo.InvariantCulture),
            float.Parse(m.Groups["shown"].Value, CultureInfo.InvariantCulture)))];

    /// <summary>The maps embedded in a page.</summary>
    private static AttentionMaps Embedded(string page)
    {
        var json = page.Split("<script type=\"application/json\" id=\"attention-data\">")[1].Split("</script>")[0];
        using var data = JsonDocument.Parse(json);
        var root = data.RootElement;
        string[] Strings(string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
        return new AttentionMaps(Strings("tokens"), Strings("queries"), root.GetProperty("layers").GetInt32(), root.GetProperty("heads").GetInt32(),
            [.. root.GetProperty("weights").EnumerateArray().Select(e => e.GetSingle())]);
    }

    [GeneratedRegex("<th>([^<]*)</th>")]
    private static partial Regex HeaderCell();

    [GeneratedRegex("<td data-weight=\"(?<weight>[^\"]+)\"[^>]*>(?<shown>[^<]*)</td>")]
    private static partial Regex BodyCell();
}
