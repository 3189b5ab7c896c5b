using System.Globalization;
using MLNet.Transformers.Models.Encoder;

namespace MLNet.Transformers.Bench.Models;

/// <summary>
/// The token batches both contenders run, in <c>inputs.txt</c>: one line per sequence of space-separated ids, a
/// blank line between batches. Every sequence is full length (no padding), [CLS] first and [SEP] last.
/// </summary>
internal static class BenchmarkInputs
{
    public const string FileName = "inputs.txt";
    private const int ClsId = 101, SepId = 102, FirstWordId = 1000;

    public static void Write(string directory, BenchmarkOptions options, int vocabSize, Random random)
    {
        using var writer = new StreamWriter(Path.Combine(directory, FileName));
        for (var batch = 0; batch < options.Batches; batch++)
        {
            for (var row = 0; row < options.Batch; row++)
            {
                var ids = Enumerable.Range(0, options.Tokens).Select(i =>
                    i == 0 ? ClsId : i == options.Tokens - 1 ? SepId : random.Next(FirstWordId, vocabSize));
                writer.WriteLine(string.Join(' ', ids));
            }
            writer.WriteLine();
        }
    }

    public static List<EncoderBatch> Read(string directory)
    {
        var batches = new List<EncoderBatch>();
        var rows = new List<int[]>();
        foreach (var line in File.ReadLines(Path.Combine(directory, FileName)).Append(""))
        {
            if (line.Length > 0)
            {
                rows.Add([.. line.Split(' ').Select(id => int.Parse(id, CultureInfo.InvariantCulture))]);
                continue;
            }
            if (rows.Count == 0) continue;
            batches.Add(EncoderBatch.FromRows(rows, [.. rows.Select(r => Enumerable.Repeat(1, r.Length).ToArray())]));
            rows = [];
        }
        return batches;
    }
}
