namespace MLNet.Transformers.Tokenizers.Models;

/// <summary>Cuts one pre-tokenized word into vocabulary tokens (WordPiece, BPE).</summary>
public abstract class TokenizerModel
{
    /// <summary>The model's vocabulary.</summary>
    public abstract Vocabulary Vocabulary { get; }

    /// <summary>
    /// Appends the tokens of the word <c>source[word]</c> to <paramref name="output"/>, with offsets mapped back to
    /// the original text through the buffer's alignment.
    /// </summary>
    internal abstract void Tokenize(TextBuffer source, Range word, TokenList output);

    /// <summary>The number of distinct ids: the vocabulary's and those of <paramref name="addedIds"/> outside it.</summary>
    internal virtual int CountWithAddedTokens(IEnumerable<int> addedIds) =>
        Vocabulary.Count + addedIds.Count(id => Vocabulary.GetToken(id) is null);
}
