using System.Text;

namespace MLNet.Transformers.Tokenizers.Decoding;

/// <summary>
/// WordPiece decoding: tokens joined by spaces, continuation pieces glued to the previous token without their
/// prefix, and (optionally) cleanup: each token, with its leading space, rewritten by Hugging Face's cleanup rules
/// (" ." becomes ".", and so on; applied token by token, as Hugging Face does, so "don ' t" stays).
/// </summary>
public sealed class WordPieceDecoder : Decoder
{
    private static readonly (string From, string To)[] Cleanups =
    [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
        (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ];

    /// <summary>Creates the decoder.</summary>
    /// <param name="prefix">The continuation prefix. Default <c>##</c>.</param>
    /// <param name="cleanup">Remove tokenization spaces before punctuation and contractions. Default true.</param>
    public WordPieceDecoder(string prefix = "##", bool cleanup = true)
    {
        Prefix = prefix;
        Cleanup = cleanup;
    }

    /// <summary>The continuation prefix.</summary>
    public string Prefix { get; }

    /// <summary>Whether tokenization spaces are cleaned up.</summary>
    public bool Cleanup { get; }

    /// <inheritdoc/>
    public override string Decode(IReadOnlyList<string> tokens)
    {
        var text = new StringBuilder();
        var piece = new StringBuilder();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            piece.Clear();
            if (i > 0 && token.StartsWith(Prefix, StringComparison.Ordinal)) piece.Append(token, Prefix.Length, token.Length - Prefix.Length);
            else
            {
                if (i > 0) piece.Append(' ');
                piece.Append(token);
            }
            if (Cleanup)
                foreach (var (from, to) in Cleanups) piece.Replace(from, to);
            text.Append(piece);
        }
        return text.ToString();
    }
}
