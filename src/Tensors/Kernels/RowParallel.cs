namespace MLNet.Transformers.Tensors;

/// <summary>
/// Splits rows into contiguous blocks run on up to <see cref="Parallelism.Degree"/> threads. The block count depends
/// only on the shape and the degree, so per-block partial sums (and therefore results) are identical run to run.
/// </summary>
internal static class RowParallel
{
    /// <summary>Below this many elements of work per block, extra threads cost more than they save.</summary>
    private const long MinElementsPerBlock = 16_384;

    /// <summary>How many blocks <see cref="For"/> will use for this shape.</summary>
    public static int BlockCount(int rows, long elementsPerRow)
    {
        var byWork = Math.Max(1, rows * elementsPerRow / MinElementsPerBlock);
        return (int)Math.Min(Math.Min(byWork, Parallelism.Degree), Math.Max(rows, 1));
    }

    /// <summary>Runs <paramref name="body"/>(block, firstRow, endRow) over <see cref="BlockCount"/> blocks.</summary>
    public static void For(int rows, long elementsPerRow, Action<int, int, int> body)
    {
        var blocks = BlockCount(rows, elementsPerRow);
        Parallelism.ForEachPart(blocks, block =>
        {
            var (start, end) = Parallelism.PartRange(rows, blocks, block);
            body(block, start, end);
        });
    }
}
