using System.Numerics.Tensors;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Generation;

/// <summary>
/// The next-token logits processors of Hugging Face's <c>generate</c>, in its order: repetition penalty, then (when
/// sampling) temperature, top-k and top-p, each keeping at least one token; then the choice of the token.
/// </summary>
public static class LogitsProcessing
{
    /// <summary>Applies <paramref name="options"/>' processors to one row of logits (V) in place; removed tokens get −∞.</summary>
    /// <param name="logits">The logits of the next token.</param>
    /// <param name="previous">The tokens so far (prompt and output), for the repetition penalty.</param>
    /// <param name="options">The settings.</param>
    public static void Process(Span<float> logits, ReadOnlySpan<int> previous, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RepetitionPenalty != 1f) PenalizeRepetitions(logits, previous, options.RepetitionPenalty);
        if (!options.Sample) return;
        if (options.Temperature != 1f) TensorPrimitives.Divide(logits, options.Temperature, logits);
        if (options.TopK > 0) KeepTopK(logits, options.TopK);
        if (options.TopP < 1f) KeepTopP(logits, options.TopP);
    }

    /// <summary>
    /// The next token from processed logits: the most likely (the first of equals) unless <paramref name="options"/>
    /// sample, then a draw from softmax(logits) with <paramref name="rng"/>.
    /// </summary>
    public static int Choose(ReadOnlySpan<float> logits, GenerationOptions options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        if (!options.Sample) return TensorPrimitives.IndexOfMax(logits);
        var probabilities = new float[logits.Length];
        Softmax.Forward(logits, probabilities, rows: 1);
        var draw = rng.NextFloat();
        var cumulative = 0f;
        var last = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] == 0f) continue;
            cumulative += probabilities[i];
            last = i;
            if (draw < cumulative) return i;
        }
        return last; // rounding left the sum just below the draw
    }

    /// <summary>Each distinct previous token's logit: divided by the penalty when positive, multiplied when negative.</summary>
    public static void PenalizeRepetitions(Span<float> logits, ReadOnlySpan<int> previous, float penalty)
    {
        foreach (var id in new HashSet<int>(previous.ToArray()))
        {
            if ((uint)id >= (uint)logits.Length) throw new ArgumentOutOfRangeException(nameof(previous), id, $"Token {id} is outside the vocabulary of {logits.Length}.");
            logits[id] = logits[id] < 0f ? logits[id] * penalty : logits[id] / penalty;
        }
    }

    /// <summary>Removes every token whose logit is below the <paramref name="k"/>-th largest.</summary>
    public static void KeepTopK(Span<float> logits, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (k >= logits.Length) return;
        var sorted = logits.ToArray();
        Array.Sort(sorted);
        var threshold = sorted[^k];
        foreach (ref var logit in logits)
        {
            if (logit < threshold) logit = float.NegativeInfinity;
        }
    }

    /// <summary>
    /// Removes the least likely tokens whose probabilities add up to at most 1 − <paramref name="p"/> (ascending
    /// order, ties by index), never the most likely one.
    /// </summary>
    public static void KeepTopP(Span<float> logits, float p)
    {
        var order = Enumerable.Range(0, logits.Length).ToArray();
        var keys = logits.ToArray();
        Array.Sort(keys, order); // ascending
        var probabilities = new float[keys.Length];
        Softmax.Forward(keys, probabilities, rows: 1);
        var cumulative = 0f;
        for (var i = 0; i < order.Length - 1; i++)
        {
            cumulative += probabilities[i];
            if (cumulative > 1f - p) break;
            logits[order[i]] = float.NegativeInfinity;
        }
    }
}
