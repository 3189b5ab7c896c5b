using System.Text.Json;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Tensors.Tests;

/// <summary>A JSON fixture written by <c>tools/reference/engine/*.py</c>: named tensors (shape + row-major data).</summary>
internal sealed class ReferenceFixture
{
    private readonly JsonElement _root;

    private ReferenceFixture(JsonElement root) => _root = root;

    public static ReferenceFixture Load(string name) =>
        new(JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("Tensors.Tests", "fixtures", name + ".json"))).RootElement);

    public bool Has(string name) => _root.TryGetProperty(name, out _);

    /// <summary>A fresh copy of the tensor's values as float32.</summary>
    public float[] this[string name] => [.. Data(name).Select(v => (float)v.GetDouble())];

    public int[] Ints(string name) => [.. Data(name).Select(v => (int)v.GetDouble())];

    public int[] Shape(string name) => [.. _root.GetProperty(name).GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];

    private JsonElement.ArrayEnumerator Data(string name) => _root.GetProperty(name).GetProperty("data").EnumerateArray();
}

/// <summary>Agreement checks: error relative to the expected tensor's scale, absolute below a scale of 1.</summary>
internal static class Close
{
    /// <summary>Forward outputs: float32 kernels against a double-precision reference.</summary>
    public const double Forward = 1e-5;

    /// <summary>Gradients.</summary>
    public const double Gradient = 1e-4;

    /// <summary>Gradients against central finite differences of float32 forwards.</summary>
    public const double FiniteDifference = 3e-3;

    public static void Assert(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double tolerance, string what)
    {
        Microsoft.VisualStudio.TestTools.UnitTesting.Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        double worst = 0, scale = 1;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }
        Microsoft.VisualStudio.TestTools.UnitTesting.Assert.IsLessThanOrEqualTo(tolerance, worst / scale, what);
    }
}
