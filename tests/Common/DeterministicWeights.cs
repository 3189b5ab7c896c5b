using System.Text;

namespace MLNet.Transformers.Tests.Common;

/// <summary>
/// The seeded tensors of tools/reference/models/deterministic_weights.py, bit for bit: element i of the tensor
/// named n is u·2s − s with u from 24 bits of splitmix64(fnv1a64(n) ^ seed) advanced i + 1 times. Lets a test build
/// the real-size all-MiniLM-L6-v2 checkpoint instead of committing it.
/// </summary>
internal static class DeterministicWeights
{
    public const ulong MiniLmSeed = 1234;
    private const ulong Golden = 0x9E3779B97F4A7C15;
    private const ulong FnvOffset = 0xCBF29CE484222325;
    private const ulong FnvPrime = 0x100000001B3;
    private const int MantissaBits = 24;

    public static float[] Uniform(string name, int count, ulong seed, double scale)
    {
        var state = Fnv1a64(name) ^ seed;
        var (twice, once) = ((float)(2 * scale), (float)scale);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            var z = state + (ulong)(i + 1) * Golden;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            z ^= z >> 31;
            var u = (float)(z >> (64 - MantissaBits)) / (1 << MantissaBits);
            values[i] = u * twice - once;
        }
        return values;
    }

    /// <summary>The MiniLM fixture's rule: LayerNorm scales 1 ± 0.1, biases ± 0.1, embeddings ± 0.5, matrices ± √(3/fan-in).</summary>
    public static float[] MiniLm(string name, IReadOnlyList<int> shape)
    {
        var count = shape.Aggregate(1, (p, d) => p * d);
        if (name.EndsWith("LayerNorm.weight", StringComparison.Ordinal))
            return [.. Uniform(name, count, MiniLmSeed, 0.1).Select(v => 1f + v)];
        if (name.EndsWith("bias", StringComparison.Ordinal)) return Uniform(name, count, MiniLmSeed, 0.1);
        if (name.Contains("embeddings", StringComparison.Ordinal)) return Uniform(name, count, MiniLmSeed, 0.5);
        return Uniform(name, count, MiniLmSeed, Math.Sqrt(3.0 / shape[1]));
    }

    /// <summary>Every tensor named in a <c>parameters.json</c> (name and shape per entry) with its <see cref="MiniLm"/> values.</summary>
    public static IEnumerable<(string Name, int[] Shape, float[] Values)> MiniLmTensors(string parametersJson)
    {
        using var list = System.Text.Json.JsonDocument.Parse(File.ReadAllText(parametersJson));
        foreach (var entry in list.RootElement.EnumerateArray().ToArray())
        {
            var name = entry.GetProperty("name").GetString()!;
            int[] shape = [.. entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];
            yield return (name, shape, MiniLm(name, shape));
        }
    }

    private static ulong Fnv1a64(string text)
    {
        var hash = FnvOffset;
        foreach (var b in Encoding.UTF8.GetBytes(text)) hash = (hash ^ b) * FnvPrime;
        return hash;
    }
}
