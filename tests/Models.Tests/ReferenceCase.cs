using System.Text.Json;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Tests;

/// <summary>
/// One fixture of tools/reference/models/make_fixtures.py: its config, its inputs and what the PyTorch reference
/// computed (float64 from the float32 weights), with the comparison the tests use.
/// </summary>
internal sealed class ReferenceCase : IDisposable
{
    /// <summary>Largest accepted error relative to the reference tensor's largest magnitude.</summary>
    public const double Tolerance = 1e-4;

    private ReferenceCase(string name)
    {
        Directory = ModelFixtures.Folder(name);
        Config = BertConfig.Load(Directory);
        using var inputs = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "inputs.json")));
        var root = inputs.RootElement;
        Batch = EncoderBatch.FromRows(Rows(root, "input_ids"), Rows(root, "attention_mask"), Rows(root, "token_type_ids"));
        var labels = root.GetProperty("labels");
        Labels = labels.GetArrayLength() > 0 && labels[0].ValueKind == JsonValueKind.Array
            ? [.. Rows(root, "labels").SelectMany(r => r)]
            : [.. labels.EnumerateArray().Select(l => l.GetInt32())];
        Expected = SafetensorsReader.Open(Path.Combine(Directory, "expected.safetensors"));
    }

    public string Directory { get; }

    public BertConfig Config { get; }

    public EncoderBatch Batch { get; }

    public int[] Labels { get; }

    public SafetensorsReader Expected { get; }

    /// <summary>Opens a fixture; with <paramref name="withoutDropout"/> its config has every dropout set to 0 (for gradient checks).</summary>
    public static ReferenceCase Open(string name, bool withoutDropout = false)
    {
        var reference = new ReferenceCase(name);
        if (withoutDropout)
        {
            reference.Config.HiddenDropoutProb = 0;
            reference.Config.AttentionProbsDropoutProb = 0;
            reference.Config.ClassifierDropout = 0;
        }
        return reference;
    }

    /// <summary>
    /// A gradient is compared relative to the larger of its own scale and this fraction of the largest gradient of
    /// the model: a key bias's gradient is zero in exact arithmetic (softmax ignores a constant shift), so only its
    /// round-off relative to the model's gradients is meaningful.
    /// </summary>
    public const double GradientScaleFloor = 1e-3;

    /// <summary>max |actual − expected| / max(max |expected|, <paramref name="floor"/>).</summary>
    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double floor = 0)
    {
        Assert.AreEqual(expected.Length, actual.Length, "element count");
        double worst = 0;
        for (var i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
        var scale = Math.Max(MaxAbs(expected), floor);
        return scale == 0 ? worst : worst / scale;
    }

    /// <summary>Asserts that <paramref name="actual"/> matches the reference tensor <paramref name="name"/>.</summary>
    public void AssertMatches(string name, ReadOnlySpan<float> actual, double tolerance = Tolerance) =>
        AssertMatches(Expected, name, actual, tolerance);

    /// <summary>Asserts that <paramref name="actual"/> matches the tensor <paramref name="name"/> of <paramref name="expected"/>.</summary>
    public static void AssertMatches(SafetensorsReader expected, string name, ReadOnlySpan<float> actual, double tolerance = Tolerance)
    {
        var error = RelativeError(actual, expected.ReadSingle(name));
        Assert.IsTrue(error <= tolerance, $"{name}: relative error {error:E2} exceeds {tolerance:E0}.");
    }

    /// <summary>Asserts every parameter's gradient matches the reference and that the reference covers them all.</summary>
    public void AssertGradientsMatch(IReadOnlyList<Parameter> parameters) => AssertGradientsMatch(Expected, parameters);

    /// <summary>Asserts every parameter's gradient matches its <c>grad.</c> tensor in <paramref name="reference"/>, which covers them all.</summary>
    public static void AssertGradientsMatch(SafetensorsReader reference, IReadOnlyList<Parameter> parameters)
    {
        var referenceGradients = reference.Names.Count(n => n.StartsWith("grad.", StringComparison.Ordinal));
        Assert.AreEqual(referenceGradients, parameters.Count, "parameters with a reference gradient");
        var expected = parameters.ToDictionary(p => p.Name, p => reference.ReadSingle("grad." + p.Name));
        var floor = GradientScaleFloor * expected.Values.Max(g => MaxAbs(g));
        var failures = parameters
            .Select(p => (p.Name, Error: RelativeError(p.Gradient.Span, expected[p.Name], floor)))
            .Where(r => !(r.Error <= Tolerance)).Select(r => $"{r.Name}: {r.Error:E2}").ToList();
        Assert.AreEqual(0, failures.Count, "gradients beyond tolerance: " + string.Join("; ", failures));
    }

    public void Dispose() => Expected.Dispose();

    private static double MaxAbs(ReadOnlySpan<float> values)
    {
        double max = 0;
        foreach (var v in values) max = Math.Max(max, Math.Abs((double)v));
        return max;
    }

    /// <summary>The rows of a JSON array of integer arrays.</summary>
    internal static List<int[]> Rows(JsonElement root, string name) =>
        [.. root.GetProperty(name).EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray())];
}
