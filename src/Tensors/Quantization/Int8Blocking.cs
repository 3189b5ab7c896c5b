namespace MLNet.Transformers.Tensors;

/// <summary>Cache blocking and threading of <see cref="Int8Gemm"/>.</summary>
internal static class Int8Blocking
{
    /// <summary>
    /// Bytes of packed A swept by each B panel before the next panel: a block that stays in L2 (a quarter of a Zen 4
    /// core's 1 MiB) while the panels of B, small enough for L1, pass over it. Sums run over the whole depth in
    /// registers, so there is no depth blocking.
    /// </summary>
    public const int RowBlockBytes = 256 << 10;

    /// <summary>
    /// Products with fewer multiply-adds than this run on the calling thread alone: four times the float threshold,
    /// since an 8-bit multiply-add costs about a quarter of a float one (about 40 µs on one core either way).
    /// </summary>
    public const long ParallelThreshold = 4 * GemmBlocking.ParallelThreshold;

    /// <summary>Fewest row tiles per part when a product is cut by rows; with fewer it is cut by column panels.</summary>
    public const int MinPartTiles = 4;
}
