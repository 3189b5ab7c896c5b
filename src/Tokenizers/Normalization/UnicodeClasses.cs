using System.Globalization;
using System.Text;

namespace MLNet.Transformers.Tokenizers.Normalization;

/// <summary>
/// The character classes the BERT normalizer and pre-tokenizer use, defined as Hugging Face <c>tokenizers</c> defines
/// them. Its general-category tables are older than .NET's; where they differ, <see cref="ReferenceUnicode"/> has its view.
/// </summary>
internal static class UnicodeClasses
{
    private const int AsciiCount = 128;

    /// <summary>Whitespace: Unicode White_Space, which includes tab, newline and carriage return.</summary>
    public static bool IsWhitespace(Rune rune) => Rune.IsWhiteSpace(rune);

    /// <summary>
    /// Control characters that BERT's text cleaning removes: categories Cc, Cf, Co and Cs, except tab, newline and
    /// carriage return. Unassigned code points (Cn) stay, as they do in Hugging Face tokenizers.
    /// </summary>
    public static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r') return false;
        return BertCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
    }

    /// <summary>Punctuation as BERT splits it: every ASCII non-alphanumeric printable character, and Unicode categories P*.</summary>
    public static bool IsPunctuation(Rune rune)
    {
        var value = rune.Value;
        if (value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return BertCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK Unified Ideograph blocks that BERT surrounds with spaces (one token per ideograph).</summary>
    public static bool IsCjkIdeograph(int value) =>
        value is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F or >= 0x2B920 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;

    /// <summary>Combining marks that accent stripping removes (category Mn).</summary>
    public static bool IsNonSpacingMark(Rune rune) => BertCategory(rune) == UnicodeCategory.NonSpacingMark;

    /// <summary>The general category as the BERT normalizer's (older) Unicode tables have it.</summary>
    private static UnicodeCategory BertCategory(Rune rune) =>
        rune.Value >= AsciiCount && ReferenceUnicode.TryGetCategory(rune.Value, out var category)
            ? category
            : Rune.GetUnicodeCategory(rune);

    /// <summary>Letters (\p{L}) for the GPT-2 pre-tokenization pattern.</summary>
    public static bool IsLetter(Rune rune) => Rune.IsLetter(rune);

    /// <summary>Numbers (\p{N}) for the GPT-2 pre-tokenization pattern.</summary>
    public static bool IsNumber(Rune rune) => Rune.IsNumber(rune);
}
