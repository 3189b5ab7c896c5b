using System.Text;
using MLNet.Transformers.Tokenizers.Normalization;

namespace MLNet.Transformers.Tokenizers.PreTokenization;

/// <summary>
/// GPT-2's byte-level pre-tokenizer: split with GPT-2's pattern
/// (<c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>, matched by hand rather than
/// by a regex engine), then write each word's UTF-8 bytes as <see cref="ByteLevelAlphabet"/> characters.
/// </summary>
public sealed class ByteLevelPreTokenizer : PreTokenizer
{
    private const int MaxUtf8Bytes = 4;

    [ThreadStatic] private static TextBuffer? t_prefixed;

    /// <summary>Creates the pre-tokenizer.</summary>
    /// <param name="addPrefixSpace">Put a space before text that does not start with one (RoBERTa-style). Default false (GPT-2).</param>
    /// <param name="useRegex">Split with GPT-2's pattern; false keeps the whole text as one word. Default true.</param>
    public ByteLevelPreTokenizer(bool addPrefixSpace = false, bool useRegex = true)
    {
        AddPrefixSpace = addPrefixSpace;
        UseRegex = useRegex;
    }

    /// <summary>Whether a space is put before text that does not start with one.</summary>
    public bool AddPrefixSpace { get; }

    /// <summary>Whether text is split with GPT-2's pattern.</summary>
    public bool UseRegex { get; }

    internal override TextBuffer Split(TextBuffer normalized, int from, int to, List<Range> words, TextBuffer scratch)
    {
        if (from == to) return scratch;
        if (AddPrefixSpace && normalized.Chars[from] != ' ')
        {
            // The pattern sees the added space, as if it had been in the text: " 's" is not a contraction.
            var prefixed = t_prefixed ??= new TextBuffer();
            prefixed.Clear();
            prefixed.Append(' ', normalized.Starts[from], normalized.Ends[from]);
            for (var i = from; i < to; i++) prefixed.Append(normalized.Chars[i], normalized.Starts[i], normalized.Ends[i]);
            (normalized, from, to) = (prefixed, 0, prefixed.Length);
        }

        var text = normalized.Chars.AsSpan(0, to);
        var index = from;
        while (index < to)
        {
            var end = UseRegex ? Gpt2Pattern.MatchEnd(text, index) : to;
            var wordStart = scratch.Length;
            AppendBytes(normalized, index, end, scratch);
            words.Add(new Range(wordStart, scratch.Length));
            index = end;
        }
        return scratch;
    }

    /// <summary>Writes <c>normalized[start..end)</c> as byte characters, each aligned with the character it encodes.</summary>
    private static void AppendBytes(TextBuffer normalized, int start, int end, TextBuffer scratch)
    {
        Span<byte> utf8 = stackalloc byte[MaxUtf8Bytes];
        var chars = normalized.Chars;
        var index = start;
        while (index < end)
        {
            var c = chars[index];
            if (c < 0x80)
            {
                scratch.Append(ByteLevelAlphabet.ByteToChar((byte)c), normalized.Starts[index], normalized.Ends[index]);
                index++;
                continue;
            }
            Rune.DecodeFromUtf16(chars.AsSpan(index, end - index), out var rune, out var consumed);
            var origin = normalized.Starts[index];
            var originEnd = normalized.Ends[index + consumed - 1];
            var byteCount = rune.EncodeToUtf8(utf8);
            for (var b = 0; b < byteCount; b++) scratch.Append(ByteLevelAlphabet.ByteToChar(utf8[b]), origin, originEnd);
            index += consumed;
        }
    }
}
