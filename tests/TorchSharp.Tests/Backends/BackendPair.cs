using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.TorchSharp.Tests.Backends;

/// <summary>Shared fixtures: tiny configurations, padded batches, and how far two tensors are apart.</summary>
internal static class BackendPair
{
    /// <summary>The agreement the backends must reach on every output and gradient: ‖a − b‖ / ‖b‖.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>A tiny random-weight configuration of <paramref name="architecture"/> with dropout on (the backends share the masks).</summary>
    public static BertConfig Tiny(EncoderArchitecture architecture, int vocabulary = 50) => new()
    {
        Architecture = architecture,
        VocabSize = vocabulary,
        HiddenSize = 32,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        IntermediateSize = 64,
        MaxPositionEmbeddings = 40,
        TypeVocabSize = architecture == EncoderArchitecture.DistilBert ? 0 : 2,
        PadTokenId = architecture == EncoderArchitecture.Roberta ? 1 : 0,
        HiddenAct = architecture == EncoderArchitecture.Roberta ? ActivationKind.GeluTanh : ActivationKind.Gelu,
        LayerNormEps = 1e-12,
    };

    /// <summary>Three sequences of different lengths, right-padded, with ids drawn from <paramref name="seed"/> in [3, vocabulary).</summary>
    public static EncoderBatch Batch(BertConfig config, int seed, params int[] lengths)
    {
        var random = new Random(seed);
        var ids = lengths.Select(n => Enumerable.Range(0, n).Select(_ => random.Next(3, config.VocabSize)).ToArray()).ToList();
        return EncoderBatch.Pad(ids, [.. ids.Select(row => new int[row.Length])], config.PadTokenId);
    }

    /// <summary>Values from N(0, 1) drawn from <paramref name="seed"/>, as a tensor of <paramref name="shape"/>.</summary>
    public static Tensor Random(int seed, params int[] shape)
    {
        var tensor = new Tensor(shape);
        new Rng((ulong)seed).FillNormal(tensor.Span, 0f, 1f);
        return tensor;
    }

    /// <summary>‖actual − expected‖ / ‖expected‖ (the absolute norm when the expected one is zero).</summary>
    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.AreEqual(expected.Length, actual.Length);
        double difference = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference += Math.Pow(actual[i] - expected[i], 2);
            norm += Math.Pow(expected[i], 2);
        }
        return norm == 0 ? Math.Sqrt(difference) : Math.Sqrt(difference / norm);
    }

    /// <summary>
    /// Asserts that every parameter's gradient agrees within <see cref="Tolerance"/>, naming the worst three. The key
    /// projection's bias is the exception to a plain relative error: its exact gradient is zero (adding the same
    /// q·b to every score of a row leaves the softmax unchanged), so both backends hold rounding noise, measured
    /// against the norm of the same layer's query bias gradient, its twin in size and scale.
    /// </summary>
    public static void AssertGradientsAgree(IReadOnlyList<Parameter> actual, IReadOnlyList<Parameter> expected, double tolerance = Tolerance)
    {
        var errors = GradientErrors(actual, expected);
        var zero = expected.Where(p => Norm(p.Gradient.Span) == 0 && !p.Name.Contains("token_type", StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(zero, $"gradients that stayed zero: {string.Join(", ", zero.Select(p => p.Name))}");
        Assert.IsLessThan(tolerance, errors[0].Error, string.Join("; ", errors.Take(3).Select(e => $"{e.Name}: {e.Error:E2}")));
    }

    /// <summary>The parameter whose gradient disagrees most, and by how much (as <see cref="AssertGradientsAgree"/> measures).</summary>
    public static (string Name, double Error) WorstGradientError(IReadOnlyList<Parameter> actual, IReadOnlyList<Parameter> expected) =>
        GradientErrors(actual, expected)[0];

    private static List<(string Name, double Error)> GradientErrors(IReadOnlyList<Parameter> actual, IReadOnlyList<Parameter> expected)
    {
        Assert.HasCount(expected.Count, actual);
        var byName = expected.ToDictionary(p => p.Name);
        return [.. expected.Select((p, i) => (p.Name, Error: Error(actual[i], p, byName))).OrderByDescending(e => e.Error)];
    }

    private static double Error(Parameter actual, Parameter expected, Dictionary<string, Parameter> byName)
    {
        var twin = expected.Name.EndsWith("key.bias", StringComparison.Ordinal) ? expected.Name.Replace("key.bias", "query.bias", StringComparison.Ordinal)
            : expected.Name.EndsWith("k_lin.bias", StringComparison.Ordinal) ? expected.Name.Replace("k_lin.bias", "q_lin.bias", StringComparison.Ordinal)
            : null;
        if (twin is null) return RelativeError(actual.Gradient.Span, expected.Gradient.Span);
        var difference = RelativeError(actual.Gradient.Span, expected.Gradient.Span) * Norm(expected.Gradient.Span);
        return difference / Norm(byName[twin].Gradient.Span);
    }

    private static double Norm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values) sum += (double)v * v;
        return Math.Sqrt(sum);
    }
}
