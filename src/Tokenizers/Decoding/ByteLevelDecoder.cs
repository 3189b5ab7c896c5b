using System.Text;
using MLNet.Transformers.Tokenizers.PreTokenization;

namespace MLNet.Transformers.Tokenizers.Decoding;

/// <summary>Byte-level decoding: every character back to its byte, the bytes read as UTF-8 (invalid sequences become U+FFFD).</summary>
public sealed class ByteLevelDecoder : Decoder
{
    /// <inheritdoc/>
    public override string Decode(IReadOnlyList<string> tokens)
    {
        var bytes = new List<byte>();
        var text = new StringBuilder();
        foreach (var token in tokens)
            foreach (var c in token)
            {
                if (ByteLevelAlphabet.TryCharToByte(c, out var value)) bytes.Add(value);
                else
                {
                    Flush(bytes, text);
                    text.Append(c);
                }
            }
        Flush(bytes, text);
        return text.ToString();
    }

    private static void Flush(List<byte> bytes, StringBuilder text)
    {
        if (bytes.Count == 0) return;
        text.Append(Encoding.UTF8.GetString(bytes.ToArray()));
        bytes.Clear();
    }
}
