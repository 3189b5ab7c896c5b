namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>
/// Packs a stream of tokenized texts into sequences of at most <see cref="MaxLength"/> tokens, each
/// <c>[CLS] … [SEP]</c>: the texts' tokens run on from one sequence to the next (a long text spans several), with a
/// <c>[SEP]</c> between two texts inside a sequence, so that no token is lost and no sequence is padded but the last.
/// </summary>
public sealed class SequencePacker
{
    /// <summary>Creates a packer.</summary>
    /// <param name="classifierId">The <c>[CLS]</c> id opening each sequence.</param>
    /// <param name="separatorId">The <c>[SEP]</c> id closing each sequence and separating texts.</param>
    /// <param name="maxLength">The sequence length, at least 3.</param>
    public SequencePacker(int classifierId, int separatorId, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 3);
        (ClassifierId, SeparatorId, MaxLength) = (classifierId, separatorId, maxLength);
    }

    /// <summary>The <c>[CLS]</c> id.</summary>
    public int ClassifierId { get; }

    /// <summary>The <c>[SEP]</c> id.</summary>
    public int SeparatorId { get; }

    /// <summary>The sequence length.</summary>
    public int MaxLength { get; }

    /// <summary>Packs the texts' token ids (without special tokens) into sequences, streamed.</summary>
    public IEnumerable<int[]> Pack(IEnumerable<int[]> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var body = new List<int>(MaxLength);
        var capacity = MaxLength - 2;
        foreach (var text in texts)
        {
            if (text.Length == 0) continue;
            if (body.Count > 0)
            {
                body.Add(SeparatorId);
                if (body.Count == capacity) yield return Close(body);
            }
            foreach (var id in text)
            {
                body.Add(id);
                if (body.Count == capacity) yield return Close(body);
            }
        }
        if (body.Count > 0) yield return Close(body);
    }

    private int[] Close(List<int> body)
    {
        int[] sequence = [ClassifierId, .. body, SeparatorId];
        body.Clear();
        return sequence;
    }
}
