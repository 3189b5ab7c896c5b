using System.Buffers;
using System.Text;
using MLNet.Transformers.Tokenizers.Normalization;

namespace MLNet.Transformers.Tokenizers.PreTokenization;

/// <summary>BERT's pre-tokenizer: split on whitespace (dropped), then split off every punctuation character as its own word.</summary>
public sealed class BertPreTokenizer : PreTokenizer
{
    private const int AsciiCount = 128;

    private enum CharClass : byte { Word, Whitespace, Punctuation }

    private static readonly CharClass[] AsciiClasses = BuildAsciiClasses();
    private static readonly SearchValues<char> AsciiWordChars =
        SearchValues.Create(Enumerable.Range(0, AsciiCount).Where(c => AsciiClasses[c] == CharClass.Word).Select(c => (char)c).ToArray());

    internal override TextBuffer Split(TextBuffer normalized, int from, int to, List<Range> words, TextBuffer scratch)
    {
        var text = normalized.Chars;
        var wordStart = -1;
        var index = from;
        while (index < to)
        {
            var c = text[index];
            CharClass kind;
            var width = 1;
            if (c < AsciiCount) kind = AsciiClasses[c];
            else
            {
                Rune.DecodeFromUtf16(text.AsSpan(index, to - index), out var rune, out width);
                kind = Classify(rune);
            }

            if (kind == CharClass.Word)
            {
                if (wordStart < 0) wordStart = index;
                if (c < AsciiCount)
                {
                    // The rest of a run of ASCII word characters, found a vector at a time.
                    var run = text.AsSpan(index + 1, to - index - 1).IndexOfAnyExcept(AsciiWordChars);
                    index = run < 0 ? to : index + 1 + run;
                    continue;
                }
            }
            else
            {
                if (wordStart >= 0) words.Add(new Range(wordStart, index));
                wordStart = -1;
                if (kind == CharClass.Punctuation) words.Add(new Range(index, index + width));
            }
            index += width;
        }
        if (wordStart >= 0) words.Add(new Range(wordStart, to));
        return normalized;
    }

    private static CharClass Classify(Rune rune) =>
        UnicodeClasses.IsWhitespace(rune) ? CharClass.Whitespace
        : UnicodeClasses.IsPunctuation(rune) ? CharClass.Punctuation
        : CharClass.Word;

    private static CharClass[] BuildAsciiClasses()
    {
        var classes = new CharClass[AsciiCount];
        for (var c = 0; c < AsciiCount; c++) classes[c] = Classify(new Rune(c));
        return classes;
    }
}
