namespace MLNet.Transformers.Tokenizers;

/// <summary>
/// The result of encoding one text or text pair: token ids and everything aligned with them, as Hugging Face
/// <c>tokenizers</c> returns it. All arrays have <see cref="Length"/> elements.
/// </summary>
public sealed class EncodingResult
{
    internal EncodingResult(int[] ids, int[] typeIds, TokenOffset[] offsets, int[] specialTokensMask, int[] attentionMask,
        IReadOnlyList<EncodingResult> overflowing)
    {
        Ids = ids;
        TypeIds = typeIds;
        Offsets = offsets;
        SpecialTokensMask = specialTokensMask;
        AttentionMask = attentionMask;
        Overflowing = overflowing;
    }

    /// <summary>An encoding with no tokens.</summary>
    internal static EncodingResult Empty { get; } = new([], [], [], [], [], []);

    /// <summary>The token ids.</summary>
    public int[] Ids { get; }

    /// <summary>The segment (token type) id of each token: 0 for the first sequence, 1 for the pair in BERT templates.</summary>
    public int[] TypeIds { get; }

    /// <summary>The span of the original text each token came from, in UTF-16 code units; (0, 0) for added special tokens and padding.</summary>
    public TokenOffset[] Offsets { get; }

    /// <summary>1 for tokens added by the post-processor or padding, 0 for tokens of the input text.</summary>
    public int[] SpecialTokensMask { get; }

    /// <summary>1 for real tokens, 0 for padding.</summary>
    public int[] AttentionMask { get; }

    /// <summary>The windows that truncation cut off (each post-processed and padded like this one), in order.</summary>
    public IReadOnlyList<EncodingResult> Overflowing { get; }

    /// <summary>The number of tokens.</summary>
    public int Length => Ids.Length;

    /// <summary>
    /// Concatenates two encodings. Overflowing windows combine as Hugging Face's <c>EncodingResult::merge_with</c> does:
    /// each window of <paramref name="first"/> with <paramref name="second"/> and each of its windows, then
    /// <paramref name="first"/> with each window of <paramref name="second"/>.
    /// </summary>
    internal static EncodingResult Concat(EncodingResult first, EncodingResult second)
    {
        var overflowing = new List<EncodingResult>();
        foreach (var window in first.Overflowing)
        {
            overflowing.Add(Concat(window, second));
            foreach (var otherWindow in second.Overflowing) overflowing.Add(Concat(window, otherWindow));
        }
        foreach (var otherWindow in second.Overflowing) overflowing.Add(Concat(first, otherWindow));

        return new EncodingResult(
            [.. first.Ids, .. second.Ids],
            [.. first.TypeIds, .. second.TypeIds],
            [.. first.Offsets, .. second.Offsets],
            [.. first.SpecialTokensMask, .. second.SpecialTokensMask],
            [.. first.AttentionMask, .. second.AttentionMask],
            overflowing);
    }

    /// <summary>A copy with every type id set to <paramref name="typeId"/> (windows too).</summary>
    internal EncodingResult WithTypeId(int typeId)
    {
        var typeIds = new int[Length];
        typeIds.AsSpan().Fill(typeId);
        return new EncodingResult(Ids, typeIds, Offsets, SpecialTokensMask, AttentionMask,
            Overflowing.Select(window => window.WithTypeId(typeId)).ToArray());
    }

    /// <summary>A copy with other offsets and windows.</summary>
    internal EncodingResult WithOffsets(TokenOffset[] offsets, IReadOnlyList<EncodingResult> overflowing) =>
        new(Ids, TypeIds, offsets, SpecialTokensMask, AttentionMask, overflowing);

    /// <summary>A copy with other windows.</summary>
    internal EncodingResult WithOverflowing(IReadOnlyList<EncodingResult> overflowing) => WithOffsets(Offsets, overflowing);

    /// <summary>The tokens <c>[start, end)</c> as an encoding without windows.</summary>
    internal EncodingResult Slice(int start, int end) => new(
        Ids[start..end], TypeIds[start..end], Offsets[start..end], SpecialTokensMask[start..end],
        AttentionMask[start..end], []);

    /// <summary>
    /// Keeps at most <paramref name="maxLength"/> tokens and moves the rest into overflowing windows of that length
    /// that overlap by <paramref name="stride"/> tokens, from the end kept by <paramref name="direction"/>.
    /// </summary>
    internal EncodingResult Truncate(int maxLength, int stride, TruncationDirection direction)
    {
        if (maxLength >= Length) return this;
        if (maxLength == 0) return new EncodingResult([], [], [], [], [], [Slice(0, Length)]);
        if (stride >= maxLength)
            throw new ArgumentException(
                $"Truncation stride {stride} must be smaller than the length left for the text ({maxLength} tokens once special tokens are counted).");

        var step = maxLength - stride;
        var windows = new List<EncodingResult>();
        if (direction == TruncationDirection.Right)
        {
            for (var start = 0; ; start += step)
            {
                var stop = Math.Min(start + maxLength, Length);
                windows.Add(Slice(start, stop));
                if (stop == Length) break;
            }
        }
        else
        {
            for (var stop = Length; ; stop -= step)
            {
                var start = Math.Max(stop - maxLength, 0);
                windows.Add(Slice(start, stop));
                if (start == 0) break;
            }
        }
        var kept = windows[0];
        return new EncodingResult(kept.Ids, kept.TypeIds, kept.Offsets, kept.SpecialTokensMask, kept.AttentionMask, windows[1..]);
    }

    /// <summary>Pads to <paramref name="targetLength"/> tokens (windows too); never shortens.</summary>
    internal EncodingResult Pad(int targetLength, PaddingOptions options)
    {
        var overflowing = Overflowing.Select(window => window.Pad(targetLength, options)).ToArray();
        var missing = targetLength - Length;
        if (missing <= 0) return Overflowing.Count == 0 ? this : WithOverflowing(overflowing);

        var padLeft = options.Direction == PaddingDirection.Left;
        return new EncodingResult(
            Padded(Ids, missing, options.PadId, padLeft),
            Padded(TypeIds, missing, options.PadTypeId, padLeft),
            Padded(Offsets, missing, default, padLeft),
            Padded(SpecialTokensMask, missing, 1, padLeft),
            Padded(AttentionMask, missing, 0, padLeft),
            overflowing);
    }

    private static T[] Padded<T>(T[] values, int missing, T pad, bool padLeft)
    {
        var result = new T[values.Length + missing];
        var padding = padLeft ? result.AsSpan(0, missing) : result.AsSpan(values.Length);
        padding.Fill(pad);
        values.CopyTo(result.AsSpan(padLeft ? missing : 0));
        return result;
    }
}
