using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Transformers.Bench.Embed;

/// <summary>
/// The files every contender shares in the work folder: <c>sentences.txt</c> (one input per line),
/// <c>batches.txt</c> (one sequence per line, "input-index id id ...", a blank line between the length-sorted
/// batches) and each contender's embeddings (<c>NAME.f32</c>: float32 rows in input order).
/// </summary>
internal static class EmbedBenchFiles
{
    public const string Sentences = "sentences.txt", Batches = "batches.txt";

    /// <summary>The <c>sentence</c> column of a tab-separated file with a header row.</summary>
    public static string[] ReadTsvColumn(string path, string column)
    {
        var lines = File.ReadAllLines(path);
        var index = Array.IndexOf(lines[0].Split('\t'), column);
        if (index < 0) throw new InvalidDataException($"{path}: no '{column}' column in the header.");
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')[index])];
    }

    public static void WriteBatches(string path, IReadOnlyList<int[]> plan, IReadOnlyList<int[]> ids)
    {
        using var writer = new StreamWriter(path);
        foreach (var batch in plan)
        {
            foreach (var row in batch) writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row} {string.Join(' ', ids[row])}"));
            writer.WriteLine();
        }
    }

    /// <summary>One input row of the pipeline contender.</summary>
    public sealed class Sentence
    {
        public string Text { get; set; } = "";
    }

    /// <summary>Every vector of column <paramref name="column"/>, read through a cursor in row order.</summary>
    public static float[][] ReadVectors(IDataView view, string column)
    {
        var vectors = new List<float[]>();
        using var cursor = view.GetRowCursor([view.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema[column]);
        var value = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref value);
            vectors.Add(value.DenseValues().ToArray());
        }
        return [.. vectors];
    }

    public static void WriteVectors(string path, float[][] vectors)
    {
        using var stream = File.Create(path);
        foreach (var vector in vectors) stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()));
    }
}
