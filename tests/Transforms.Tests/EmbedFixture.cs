using System.Text.Json;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// The fixture of tools/reference/embed/embed_fixtures.py: a tiny sentence-transformers checkpoint (mean pooling,
/// Normalize, max_seq_length 16), its texts and pairs, and the PyTorch reference embeddings.
/// </summary>
internal static class EmbedFixture
{
    public const float Tolerance = 1e-4f;

    public static string ModelDirectory { get; } = TestPaths.Fixture("Transforms.Tests", "fixtures", "embed");

    private static readonly JsonElement Cases = JsonDocument.Parse(
        File.ReadAllText(TestPaths.Fixture("Transforms.Tests", "fixtures", "embed-cases.json"))).RootElement;

    private static readonly int MaxSeqLength = Cases.GetProperty("max_seq_length").GetInt32();

    public static string[] Texts { get; } = [.. Cases.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!)];

    public static (string Text, string Pair)[] Pairs { get; } =
        [.. Cases.GetProperty("pairs").EnumerateArray().Select(p => (p[0].GetString()!, p[1].GetString()!))];

    /// <summary>Texts for the all-MiniLM-L6-v2 case (whole-word tokens of its vocabulary).</summary>
    public static string[] MiniLmTexts { get; } = [.. Cases.GetProperty("minilm_texts").EnumerateArray().Select(t => t.GetString()!)];

    public static int WindowOverlap { get; } = Cases.GetProperty("window_overlap").GetInt32();

    /// <summary>Whether a text has more words than max_seq_length - 2 (each word is one token; [CLS] and [SEP] take two).</summary>
    public static bool IsLong(string text) => text.Split(' ').Length > MaxSeqLength - 2;

    /// <summary>How many of <see cref="Texts"/> are truncated.</summary>
    public static int LongTexts { get; } = Texts.Count(IsLong);

    /// <summary>The reference vectors (N, D) stored under <paramref name="name"/>, as rows.</summary>
    public static float[][] Expected(string name)
    {
        using var reader = SafetensorsReader.Open(TestPaths.Fixture("Transforms.Tests", "fixtures", "embed-expected.safetensors"));
        var info = reader.Describe(name);
        var values = reader.ReadSingle(name);
        var width = (int)info.Shape[1];
        return [.. values.Chunk(width)];
    }

    /// <summary>The reference name of a pooling mode.</summary>
    public static string Name(PoolingMode mode) => mode switch
    {
        PoolingMode.Cls => "cls",
        PoolingMode.Mean => "mean",
        PoolingMode.Max => "max",
        _ => "mean_sqrt_len",
    };

    public static void AssertClose(float[][] expected, IReadOnlyList<float[]> actual, string what)
    {
        Assert.AreEqual(expected.Length, actual.Count, $"{what}: row count");
        for (var row = 0; row < expected.Length; row++)
        {
            Assert.AreEqual(expected[row].Length, actual[row].Length, $"{what}: width of row {row}");
            for (var c = 0; c < expected[row].Length; c++)
                Assert.AreEqual(expected[row][c], actual[row][c], Tolerance, $"{what}: row {row}, element {c}");
        }
    }
}
