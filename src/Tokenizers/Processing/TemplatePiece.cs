namespace MLNet.Transformers.Tokenizers.Processing;

/// <summary>One element of a post-processing template: an input sequence, or a special token's ids.</summary>
/// <param name="SequenceIndex">0 for the first text (<c>$A</c>), 1 for the pair (<c>$B</c>), -1 for a special token.</param>
/// <param name="SpecialTokenIds">The ids of the special token (empty for a sequence).</param>
/// <param name="TypeId">The type id every token of this piece gets.</param>
public sealed record TemplatePiece(int SequenceIndex, int[] SpecialTokenIds, int TypeId)
{
    /// <summary>The first (0) or second (1) input sequence with the given type id.</summary>
    public static TemplatePiece Sequence(int index, int typeId) => new(index, [], typeId);

    /// <summary>A special token with the given ids and type id.</summary>
    public static TemplatePiece Special(int[] ids, int typeId) => new(-1, ids, typeId);

    /// <summary>Whether this piece is an input sequence.</summary>
    public bool IsSequence => SequenceIndex >= 0;
}
