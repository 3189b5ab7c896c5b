using System.Text;

namespace MLNet.Transformers.Tokenizers.Decoding;

/// <summary>
/// WordPiece decoding: tokens joined by spaces, continuation pieces glued to the previous token without their
/// prefix, and (optionally) the spaces BERT tokenization put before punctuation and contractions removed.
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
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (i > 0 && token.StartsWith(Prefix, StringComparison.Ordinal)) text.Append(token, Prefix.Length, token.Length - Prefix.Length);
            else
            {
                if (i > 0) text.Append(' ');
                text.Append(token);
            }
        }
        if (Cleanup)
            foreach (var (from, to) in Cleanups) text.Replace(from, to);
        return text.ToString();
    }
}
