namespace MLNet.Transformers.Tokenizers.PreTokenization;

/// <summary>Splits normalized text into words; the model then cuts each word into tokens.</summary>
public abstract class PreTokenizer
{
    /// <summary>
    /// Appends the words of <c>normalized[from..to)</c> to <paramref name="words"/> as ranges of the buffer it returns:
    /// <paramref name="normalized"/> itself, or <paramref name="scratch"/> when the words are rewritten (byte-level).
    /// </summary>
    internal abstract TextBuffer Split(TextBuffer normalized, int from, int to, List<Range> words, TextBuffer scratch);
}
