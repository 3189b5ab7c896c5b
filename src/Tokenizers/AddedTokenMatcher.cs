using System.Buffers;
using System.Text;

namespace MLNet.Transformers.Tokenizers;

/// <summary>Finds added tokens in text: the leftmost match, the longest one there (as Hugging Face's Aho-Corasick search).</summary>
internal sealed class AddedTokenMatcher
{
    private readonly SearchValues<char> _firstChars;
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens.Where(token => token.Content.Length > 0)
            .GroupBy(token => token.Content[0])
            .ToDictionary(group => group.Key, group => group.OrderByDescending(token => token.Content.Length).ToArray());
        _firstChars = SearchValues.Create(_byFirstChar.Keys.ToArray());
        IsEmpty = _byFirstChar.Count == 0;
    }

    public bool IsEmpty { get; }

    /// <summary>
    /// The first match at or after <paramref name="from"/>; false when there is none. The match takes
    /// <c>[Start, End)</c> of the text, whitespace swallowed by lstrip/rstrip included (and so do the token's offsets,
    /// as in Hugging Face).
    /// </summary>
    public bool FindNext(ReadOnlySpan<char> text, int from, out AddedTokenMatch match)
    {
        var index = from;
        while (index < text.Length)
        {
            var found = text[index..].IndexOfAny(_firstChars);
            if (found < 0) break;
            index += found;
            foreach (var candidate in _byFirstChar[text[index]])
            {
                if (!text[index..].StartsWith(candidate.Content, StringComparison.Ordinal)) continue;
                var matchEnd = index + candidate.Content.Length;
                if (candidate.SingleWord && !IsWholeWord(text, index, matchEnd)) continue;
                var (start, end) = (index, matchEnd);
                if (candidate.LStrip) while (start > from && char.IsWhiteSpace(text[start - 1])) start--;
                if (candidate.RStrip) while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
                match = new AddedTokenMatch(start, end, candidate);
                return true;
            }
            index++;
        }
        match = default;
        return false;
    }

    private static bool IsWholeWord(ReadOnlySpan<char> text, int start, int end)
    {
        var before = start > 0 && IsWordChar(text[start - 1]);
        var after = end < text.Length && IsWordChar(text[end]);
        return !before && !after;
    }

    private static bool IsWordChar(char c) => c == '_' || char.IsLetterOrDigit(c);
}

/// <summary>An added token found in text.</summary>
/// <param name="Start">Where the match starts, swallowed whitespace included.</param>
/// <param name="End">Where the match ends, swallowed whitespace included.</param>
/// <param name="Token">The token.</param>
internal readonly record struct AddedTokenMatch(int Start, int End, AddedToken Token);
