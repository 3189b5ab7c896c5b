using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>
/// A padded batch of token sequences for an encoder: ids, attention mask and token types, each (B, T) row-major.
/// </summary>
public sealed class EncoderBatch
{
    /// <summary>Wraps flat (B, T) arrays; <paramref name="tokenTypeIds"/> may be null (all zero).</summary>
    /// <exception cref="ArgumentException">An array's length is not B·T, or a mask value is not 0 or 1.</exception>
    public EncoderBatch(int batchSize, int sequenceLength, int[] inputIds, int[] attentionMask, int[]? tokenTypeIds = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        var count = batchSize * sequenceLength;
        RequireLength(inputIds, count, nameof(inputIds));
        RequireLength(attentionMask, count, nameof(attentionMask));
        if (tokenTypeIds is not null) RequireLength(tokenTypeIds, count, nameof(tokenTypeIds));
        if (attentionMask.Any(m => m is not (0 or 1)))
            throw new ArgumentException("The attention mask holds values other than 0 and 1.", nameof(attentionMask));
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        InputIds = inputIds;
        AttentionMask = attentionMask;
        TokenTypeIds = tokenTypeIds ?? new int[count];
    }

    /// <summary>Builds a batch from equal-length rows (B rows of T values each).</summary>
    /// <exception cref="ArgumentException">The rows differ in length.</exception>
    public static EncoderBatch FromRows(IReadOnlyList<int[]> inputIds, IReadOnlyList<int[]> attentionMask,
        IReadOnlyList<int[]>? tokenTypeIds = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        if (inputIds.Count == 0) throw new ArgumentException("The batch has no rows.", nameof(inputIds));
        var length = inputIds[0].Length;
        if (inputIds.Concat(attentionMask).Concat(tokenTypeIds ?? []).Any(row => row.Length != length))
            throw new ArgumentException($"Every row must have {length} values.", nameof(inputIds));
        return new EncoderBatch(inputIds.Count, length, [.. inputIds.SelectMany(r => r)], [.. attentionMask.SelectMany(r => r)],
            tokenTypeIds is null ? null : [.. tokenTypeIds.SelectMany(r => r)]);
    }

    /// <summary>
    /// Right-pads sequences of different lengths to the longest: ids with <paramref name="padTokenId"/>, attention
    /// mask 0 and token type 0 at the padding.
    /// </summary>
    /// <param name="inputIds">Each sequence's token ids.</param>
    /// <param name="tokenTypeIds">Each sequence's token types, as long as its ids.</param>
    /// <param name="padTokenId">The id written at padding positions (<c>pad_token_id</c>).</param>
    /// <exception cref="ArgumentException">There are no sequences, the lists differ in count, or a sequence's types differ in length from its ids.</exception>
    public static EncoderBatch Pad(IReadOnlyList<int[]> inputIds, IReadOnlyList<int[]> tokenTypeIds, int padTokenId)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(tokenTypeIds);
        if (inputIds.Count == 0) throw new ArgumentException("The batch has no rows.", nameof(inputIds));
        if (tokenTypeIds.Count != inputIds.Count || inputIds.Where((row, i) => tokenTypeIds[i].Length != row.Length).Any())
            throw new ArgumentException("Every sequence needs one token type per id.", nameof(tokenTypeIds));
        var (b, t) = (inputIds.Count, inputIds.Max(row => row.Length));
        var (ids, mask, types) = (new int[b * t], new int[b * t], new int[b * t]);
        Array.Fill(ids, padTokenId);
        for (var row = 0; row < b; row++)
        {
            inputIds[row].CopyTo(ids, row * t);
            tokenTypeIds[row].CopyTo(types, row * t);
            mask.AsSpan(row * t, inputIds[row].Length).Fill(1);
        }
        return new EncoderBatch(b, t, ids, mask, types);
    }

    /// <summary>B, the number of sequences.</summary>
    public int BatchSize { get; }

    /// <summary>T, the padded length of every sequence.</summary>
    public int SequenceLength { get; }

    /// <summary>Token ids (B, T); padding positions hold the pad token id.</summary>
    public int[] InputIds { get; }

    /// <summary>1 for real tokens, 0 for padding (B, T).</summary>
    public int[] AttentionMask { get; }

    /// <summary>Segment ids (B, T), 0 for the first text and 1 for the second; all zero when not given.</summary>
    public int[] TokenTypeIds { get; }

    /// <summary>The rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as a batch of their own (copied).</summary>
    public EncoderBatch Rows(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, BatchSize);
        var range = new Range(start * SequenceLength, (start + count) * SequenceLength);
        return new EncoderBatch(count, SequenceLength, InputIds[range], AttentionMask[range], TokenTypeIds[range]);
    }

    /// <summary>Number of token positions, B·T.</summary>
    public int TokenCount => BatchSize * SequenceLength;

    /// <summary>The attention mask as the operations take it: (B, T) floats, 1 real and 0 padding, in <paramref name="buffer"/>.</summary>
    internal DeviceTensor AttentionMaskValues(ComputeBackend backend, DeviceBuffer buffer)
    {
        var mask = buffer.Get(BatchSize, SequenceLength);
        var values = new float[TokenCount];
        for (var i = 0; i < TokenCount; i++) values[i] = AttentionMask[i];
        backend.Upload(values, mask);
        return mask;
    }

    private static void RequireLength(int[] values, int expected, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != expected)
            throw new ArgumentException($"{name} has {values.Length} values, expected B·T = {expected}.", name);
    }
}
