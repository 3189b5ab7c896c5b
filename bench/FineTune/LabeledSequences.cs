using System.Globalization;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Bench.FineTune;

/// <summary>
/// Tokenized labelled sentences: each one's token ids (special tokens included, truncated to the token limit) and its
/// class. Written for the PyTorch peer as one line per example, <c>label id id ...</c>.
/// </summary>
internal sealed class LabeledSequences(int[][] ids, int[] labels, int truncated)
{
    /// <summary>Token ids of each example.</summary>
    public int[][] Ids { get; } = ids;

    /// <summary>Class of each example.</summary>
    public int[] Labels { get; } = labels;

    /// <summary>Examples longer than the token limit (cut).</summary>
    public int Truncated { get; } = truncated;

    public int Count => Labels.Length;

    /// <summary>
    /// Reads a <c>sentence&lt;TAB&gt;label</c> file with a header row (SST-2's layout) and tokenizes every sentence with
    /// <paramref name="tokenizer"/>, whose truncation is set to <paramref name="maxTokens"/>.
    /// </summary>
    public static LabeledSequences Read(string path, Tokenizer tokenizer, int maxTokens)
    {
        var rows = File.ReadLines(path).Skip(1).Where(line => line.Length > 0).Select((line, i) => Parse(path, line, i + 2)).ToList();
        var encodings = tokenizer.EncodeBatch([.. rows.Select(r => r.Sentence)], new EncodingSettings { Truncation = new TruncationOptions { MaxLength = maxTokens } });
        var truncated = encodings.Count(e => e.Overflowing.Count > 0);
        return new LabeledSequences([.. encodings.Select(e => e.Ids)], [.. rows.Select(r => r.Label)], truncated);
    }

    public void Write(string path) =>
        File.WriteAllLines(path, Ids.Select((ids, i) => string.Create(CultureInfo.InvariantCulture, $"{Labels[i]} {string.Join(' ', ids)}")));

    private static (string Sentence, int Label) Parse(string path, string line, int lineNumber)
    {
        var fields = line.Split('\t');
        if (fields.Length != 2 || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var label) || label > 1)
            throw new InvalidDataException($"{path}:{lineNumber}: expected 'sentence<TAB>0|1'.");
        return (fields[0].Trim(), label);
    }
}
