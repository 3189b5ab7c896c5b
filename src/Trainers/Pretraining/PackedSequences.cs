namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>
/// Packed token sequences held compactly (one flat id buffer and offsets, 4 bytes per token): the corpus text is
/// streamed, only its token ids are kept.
/// </summary>
internal sealed class PackedSequences
{
    private readonly List<int> _ids = [];
    private readonly List<int> _starts = [0];

    /// <summary>The number of sequences.</summary>
    public int Count => _starts.Count - 1;

    /// <summary>The number of tokens over all sequences.</summary>
    public long TokenCount => _ids.Count;

    /// <summary>The ids of sequence <paramref name="index"/>.</summary>
    public ReadOnlySpan<int> this[int index] =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ids)[_starts[index].._starts[index + 1]];

    /// <summary>Appends a sequence.</summary>
    public void Add(int[] sequence)
    {
        _ids.AddRange(sequence);
        _starts.Add(_ids.Count);
    }
}
