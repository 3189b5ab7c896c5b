using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;

namespace MLNet.Transformers.TorchSharp.Tests.Decoder;

/// <summary>Shared GPT-2 fixtures: a tiny random configuration, the same model on each backend, and random ids.</summary>
internal static class Gpt2Pair
{
    /// <summary>The seed of the weights and the dropout streams of every pair.</summary>
    public const ulong Seed = 13;

    /// <summary>
    /// A tiny GPT-2 with dropout on (the backends share the masks); weights from N(0, <paramref name="weightScale"/>²),
    /// large enough in generation tests that the next token is never a near tie.
    /// </summary>
    public static Gpt2Config Tiny(double weightScale = 0.02, IReadOnlyList<string>? labels = null, int vocabulary = 50) => new()
    {
        VocabSize = vocabulary, MaxPositions = 24, HiddenSize = 32, NumLayers = 2, NumHeads = 4,
        InitializerRange = weightScale, BosTokenId = 0, EosTokenId = 0, Labels = labels,
    };

    /// <summary>The same randomly initialised language model on the managed engine and on TorchSharp (libtorch on the CPU).</summary>
    public static (Gpt2LMHeadModel Managed, Gpt2LMHeadModel Torch) LanguageModels(Gpt2Config config)
    {
        var managed = new Gpt2LMHeadModel(config, Seed);
        var torch = new Gpt2LMHeadModel(config, Seed, new TorchBackend(TorchDevices.Cpu));
        managed.Initialize(Seed);
        torch.Initialize(Seed);
        return (managed, torch);
    }

    /// <summary><paramref name="count"/> ids drawn from <paramref name="seed"/> in [1, vocabulary).</summary>
    public static int[] Ids(int seed, int count, int vocabulary)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(1, vocabulary))];
    }

    /// <summary>An attention mask (B·T) of sequences of <paramref name="lengths"/> real tokens in rows of <paramref name="t"/>, padded on the left or the right.</summary>
    public static float[] Mask(int t, bool left, params int[] lengths) =>
        [.. lengths.SelectMany(n => Enumerable.Range(0, t).Select(i => (left ? i >= t - n : i < n) ? 1f : 0f))];

    /// <summary>The elements of the rows (of <paramref name="width"/>) that <paramref name="mask"/> marks real.</summary>
    public static float[] RealRows(ReadOnlySpan<float> rows, float[] mask, int width)
    {
        var kept = new List<float>();
        for (var i = 0; i < mask.Length; i++)
        {
            if (mask[i] != 0f) kept.AddRange(rows.Slice(i * width, width).ToArray());
        }
        return [.. kept];
    }
}
