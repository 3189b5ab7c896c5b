namespace MLNet.Transformers.Tokenizers.Processing;

/// <summary>
/// Adds the special tokens and type ids a model expects around its input, as a template (Hugging Face's
/// <c>TemplateProcessing</c>; <c>BertProcessing</c> and <c>RobertaProcessing</c> are fixed templates), and
/// optionally trims byte-level whitespace out of token offsets (<c>trim_offsets</c>).
/// </summary>
public sealed class PostProcessor
{
    private const char ByteLevelSpace = 'Ġ';

    /// <summary>Creates a post-processor.</summary>
    /// <param name="single">The template for one text; null keeps the text as is.</param>
    /// <param name="pair">The template for a pair; null concatenates the two texts (type ids 0 and 1).</param>
    /// <param name="trimOffsets">Trim leading and trailing byte-level spaces out of token offsets. Default false.</param>
    /// <param name="addPrefixSpace">With <paramref name="trimOffsets"/>: keep the single space the pre-tokenizer put before the first token. Default false.</param>
    public PostProcessor(IReadOnlyList<TemplatePiece>? single, IReadOnlyList<TemplatePiece>? pair,
        bool trimOffsets = false, bool addPrefixSpace = false)
    {
        Single = single;
        Pair = pair;
        TrimOffsets = trimOffsets;
        AddPrefixSpace = addPrefixSpace;
    }

    /// <summary>The template for one text, or null.</summary>
    public IReadOnlyList<TemplatePiece>? Single { get; }

    /// <summary>The template for a pair, or null.</summary>
    public IReadOnlyList<TemplatePiece>? Pair { get; }

    /// <summary>Whether byte-level spaces are trimmed out of token offsets.</summary>
    public bool TrimOffsets { get; }

    /// <summary>Whether a single leading space of the first token is kept when trimming.</summary>
    public bool AddPrefixSpace { get; }

    /// <summary>BERT: <c>[CLS] A [SEP]</c> and <c>[CLS] A [SEP] B [SEP]</c>, type ids 0 up to the first <c>[SEP]</c>, 1 after.</summary>
    public static PostProcessor Bert(int clsId, int sepId) => new(
        [TemplatePiece.Special([clsId], 0), TemplatePiece.Sequence(0, 0), TemplatePiece.Special([sepId], 0)],
        [TemplatePiece.Special([clsId], 0), TemplatePiece.Sequence(0, 0), TemplatePiece.Special([sepId], 0),
            TemplatePiece.Sequence(1, 1), TemplatePiece.Special([sepId], 1)]);

    /// <summary>RoBERTa: <c>&lt;s&gt; A &lt;/s&gt;</c> and <c>&lt;s&gt; A &lt;/s&gt; &lt;/s&gt; B &lt;/s&gt;</c>, every type id 0.</summary>
    public static PostProcessor Roberta(int clsId, int sepId, bool trimOffsets = true, bool addPrefixSpace = true) => new(
        [TemplatePiece.Special([clsId], 0), TemplatePiece.Sequence(0, 0), TemplatePiece.Special([sepId], 0)],
        [TemplatePiece.Special([clsId], 0), TemplatePiece.Sequence(0, 0), TemplatePiece.Special([sepId], 0),
            TemplatePiece.Special([sepId], 0), TemplatePiece.Sequence(1, 0), TemplatePiece.Special([sepId], 0)],
        trimOffsets, addPrefixSpace);

    /// <summary>How many special tokens the template adds.</summary>
    public int AddedTokenCount(bool isPair) =>
        (isPair ? Pair : Single)?.Sum(piece => piece.SpecialTokenIds.Length) ?? 0;

    /// <summary>The ids of one text's tokens <paramref name="sequence"/> with the single template's special tokens around them.</summary>
    internal int[] SingleIds(ReadOnlySpan<int> sequence, bool addSpecialTokens)
    {
        if (Single is null || !addSpecialTokens) return sequence.ToArray();
        var ids = new int[sequence.Length + AddedTokenCount(isPair: false)];
        var position = 0;
        foreach (var piece in Single)
        {
            var part = piece.IsSequence ? sequence : piece.SpecialTokenIds;
            part.CopyTo(ids.AsSpan(position));
            position += part.Length;
        }
        return ids;
    }

    /// <summary>Applies the template to the encoded sequences (one or two).</summary>
    /// <param name="sequences">The encoded texts.</param>
    /// <param name="addSpecialTokens">Whether the template's special tokens are added.</param>
    /// <param name="tokenText">The vocabulary text of a token id (for offset trimming).</param>
    /// <param name="addedToken">The added token of an id, or null (for offset trimming).</param>
    internal EncodingResult Process(IReadOnlyList<EncodingResult> sequences, bool addSpecialTokens, Func<int, string?> tokenText,
        Func<int, AddedToken?> addedToken)
    {
        if (TrimOffsets) sequences = sequences.Select(sequence => Trim(sequence, tokenText, addedToken)).ToArray();
        var template = sequences.Count == 1 ? Single : Pair;
        if (template is null) return sequences.Count == 1 ? sequences[0] : EncodingResult.Concat(sequences[0], sequences[1]);
        if (sequences.All(sequence => sequence.Overflowing.Count == 0)) return Assemble(template, sequences, addSpecialTokens);

        // Overflowing windows combine piece by piece, as Hugging Face merges them.
        EncodingResult? result = null;
        foreach (var piece in template)
        {
            EncodingResult part;
            if (piece.IsSequence) part = sequences[piece.SequenceIndex].WithTypeId(piece.TypeId);
            else if (addSpecialTokens) part = SpecialTokens(piece);
            else continue;
            result = result is null ? part : EncodingResult.Concat(result, part);
        }
        return result ?? EncodingResult.Empty;
    }

    /// <summary>The template filled in one pass, for sequences without overflowing windows (the common case).</summary>
    private static EncodingResult Assemble(IReadOnlyList<TemplatePiece> template, IReadOnlyList<EncodingResult> sequences, bool addSpecialTokens)
    {
        var length = 0;
        foreach (var piece in template)
            length += piece.IsSequence ? sequences[piece.SequenceIndex].Length : addSpecialTokens ? piece.SpecialTokenIds.Length : 0;
        var ids = new int[length];
        var typeIds = new int[length];
        var offsets = new TokenOffset[length];
        var specialTokensMask = new int[length];
        var attentionMask = new int[length];
        attentionMask.AsSpan().Fill(1);
        var position = 0;
        foreach (var piece in template)
        {
            if (piece.IsSequence)
            {
                var sequence = sequences[piece.SequenceIndex];
                sequence.Ids.CopyTo(ids, position);
                sequence.Offsets.CopyTo(offsets, position);
                typeIds.AsSpan(position, sequence.Length).Fill(piece.TypeId);
                position += sequence.Length;
            }
            else if (addSpecialTokens)
            {
                var count = piece.SpecialTokenIds.Length;
                piece.SpecialTokenIds.CopyTo(ids, position);
                typeIds.AsSpan(position, count).Fill(piece.TypeId);
                specialTokensMask.AsSpan(position, count).Fill(1);
                position += count;
            }
        }
        return new EncodingResult(ids, typeIds, offsets, specialTokensMask, attentionMask, []);
    }

    private static EncodingResult SpecialTokens(TemplatePiece piece)
    {
        var count = piece.SpecialTokenIds.Length;
        var typeIds = new int[count];
        typeIds.AsSpan().Fill(piece.TypeId);
        var ones = new int[count];
        ones.AsSpan().Fill(1);
        return new EncodingResult(piece.SpecialTokenIds, typeIds, new TokenOffset[count], ones, ones, []);
    }

    /// <summary>Moves each offset past the byte-level spaces its token starts or ends with.</summary>
    private EncodingResult Trim(EncodingResult encoding, Func<int, string?> tokenText, Func<int, AddedToken?> addedToken)
    {
        var offsets = (TokenOffset[])encoding.Offsets.Clone();
        for (var i = 0; i < offsets.Length; i++)
        {
            var (start, end) = (offsets[i].Start, offsets[i].End);
            var (leading, trailing) = SurroundingSpaces(encoding.Ids[i], end - start, tokenText, addedToken);
            if (leading > 0)
            {
                var isFirst = i == 0 || start == 0;
                if (isFirst && AddPrefixSpace && leading == 1) leading = 0;
                start = Math.Min(start + leading, end);
            }
            if (trailing > 0 && end >= trailing) end = Math.Max(end - trailing, start);
            offsets[i] = new TokenOffset(start, end);
        }
        return encoding.WithOffsets(offsets, encoding.Overflowing.Select(window => Trim(window, tokenText, addedToken)).ToArray());
    }

    /// <summary>
    /// How many spaces a token's text starts and ends with: byte-level spaces of a vocabulary token, or the whitespace
    /// an lstrip / rstrip added token swallowed (its offsets span it; with both flags it is counted as leading).
    /// </summary>
    private static (int Leading, int Trailing) SurroundingSpaces(int id, int spanLength, Func<int, string?> tokenText, Func<int, AddedToken?> addedToken)
    {
        if (addedToken(id) is { } added)
        {
            var swallowed = Math.Max(spanLength - added.Content.Length, 0);
            return added.LStrip ? (swallowed, 0) : added.RStrip ? (0, swallowed) : (0, 0);
        }
        var token = tokenText(id);
        if (string.IsNullOrEmpty(token)) return (0, 0);
        var leading = 0;
        while (leading < token.Length && IsSpace(token[leading])) leading++;
        var trailing = 0;
        while (trailing < token.Length && IsSpace(token[^(trailing + 1)])) trailing++;
        return (leading, trailing);
    }

    private static bool IsSpace(char c) => c == ByteLevelSpace || char.IsWhiteSpace(c);
}
