namespace MLNet.Transformers.Tokenizers.Decoding;

/// <summary>Turns a sequence of token strings back into text.</summary>
public abstract class Decoder
{
    /// <summary>Joins <paramref name="tokens"/> into text.</summary>
    public abstract string Decode(IReadOnlyList<string> tokens);
}
