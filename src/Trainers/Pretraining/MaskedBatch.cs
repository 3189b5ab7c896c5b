using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>A batch of masked sequences, right-padded to the longest, and one label per token (B·T).</summary>
internal sealed record MaskedBatch(EncoderBatch Inputs, int[] Labels)
{
    /// <summary>The flat positions (b·T + t) of the tokens to predict: those whose label is not ignored, in order.</summary>
    public int[] Positions { get; } = [.. Enumerable.Range(0, Labels.Length).Where(i => Labels[i] != TokenMasker.IgnoreIndex)];

    /// <summary>The labels at <see cref="Positions"/> (P).</summary>
    public int[] Targets { get; } = [.. Labels.Where(label => label != TokenMasker.IgnoreIndex)];

    /// <summary>Masks the sequences <paramref name="rows"/> of <paramref name="sequences"/> with draws from <paramref name="rng"/>.</summary>
    public static MaskedBatch Create(PackedSequences sequences, ReadOnlySpan<int> rows, TokenMasker masker, Rng rng, int padId)
    {
        var length = 0;
        foreach (var row in rows) length = Math.Max(length, sequences[row].Length);
        var (ids, mask, labels) = (new int[rows.Length * length], new int[rows.Length * length], new int[rows.Length * length]);
        Array.Fill(ids, padId);
        Array.Fill(labels, TokenMasker.IgnoreIndex);
        for (var b = 0; b < rows.Length; b++)
        {
            var sequence = sequences[rows[b]];
            masker.Mask(sequence, ids.AsSpan(b * length, sequence.Length), labels.AsSpan(b * length, sequence.Length), rng);
            mask.AsSpan(b * length, sequence.Length).Fill(1);
        }
        return new MaskedBatch(new EncoderBatch(rows.Length, length, ids, mask), labels);
    }
}
