using System.Security.Cryptography;
using System.Text;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>The text form of an encoding that the reference fixtures hash: "ids TAB type ids TAB start:end ...\n".</summary>
internal static class CanonicalEncoding
{
    public static string Line(EncodingResult encoding) =>
        $"{string.Join(' ', encoding.Ids)}\t{string.Join(' ', encoding.TypeIds)}\t{string.Join(' ', encoding.Offsets.Select(o => $"{o.Start}:{o.End}"))}\n";

    public static string Sha256(IEnumerable<string> lines)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines) hash.AppendData(Encoding.UTF8.GetBytes(line));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Our canonical lines for a corpus, singles or pairs, encoded as a batch.</summary>
    public static IReadOnlyList<string> Lines(Tokenizer tokenizer, IReadOnlyList<string> texts, string kind)
    {
        var encodings = kind == "single" ? tokenizer.EncodeBatch(texts) : tokenizer.EncodeBatch(ReferenceCorpora.Pairs(texts));
        return encodings.Select(Line).ToArray();
    }
}
