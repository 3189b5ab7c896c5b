using System.Globalization;

namespace MLNet.Transformers.Bench.EmbedPeers;

/// <summary>One batch of <c>batches.txt</c>: each row's input index and token ids.</summary>
internal sealed record TokenBatch(int[] Rows, int[][] Ids);

/// <summary>Reads <c>batches.txt</c> ("input-index id id ..." per line, a blank line between batches).</summary>
internal static class BatchFile
{
    public static List<TokenBatch> Read(string path)
    {
        var batches = new List<TokenBatch>();
        var rows = new List<int[]>();
        foreach (var line in File.ReadLines(path).Append(""))
        {
            if (line.Length > 0)
            {
                rows.Add([.. line.Split(' ').Select(v => int.Parse(v, CultureInfo.InvariantCulture))]);
                continue;
            }
            if (rows.Count == 0) continue;
            batches.Add(new TokenBatch([.. rows.Select(r => r[0])], [.. rows.Select(r => r[1..])]));
            rows.Clear();
        }
        return batches;
    }
}
