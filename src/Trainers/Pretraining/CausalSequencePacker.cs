namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>
/// Packs a stream of tokenized texts for causal language modelling, as GPT-2 was trained: each text followed by the
/// end-of-text token, the texts run on from one sequence to the next, cut every <see cref="MaxLength"/> tokens (only
/// the last sequence is shorter).
/// </summary>
/// <param name="endOfTextId">The end-of-text id closing each text.</param>
/// <param name="maxLength">The sequence length, at least 2.</param>
internal sealed class CausalSequencePacker(int endOfTextId, int maxLength)
{
    /// <summary>The sequence length.</summary>
    public int MaxLength { get; } = maxLength >= 2 ? maxLength : throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "At least 2.");

    /// <summary>Packs the texts' token ids into sequences, streamed.</summary>
    public IEnumerable<int[]> Pack(IEnumerable<int[]> texts)
    {
        var sequence = new List<int>(MaxLength);
        foreach (var text in texts)
        {
            if (text.Length == 0) continue;
            foreach (var id in text.Append(endOfTextId))
            {
                sequence.Add(id);
                if (sequence.Count < MaxLength) continue;
                yield return [.. sequence];
                sequence.Clear();
            }
        }
        if (sequence.Count > 1) yield return [.. sequence];
    }
}
