namespace MLNet.Transformers.Tensors;

/// <summary>
/// Cache blocking of <see cref="Gemm"/>, shared by every micro-kernel so that all of them add the same partial sums
/// in the same order (and so give bit-identical results).
/// </summary>
internal static class GemmBlocking
{
    /// <summary>
    /// Depth of one packed block (KC). A 12×KC sliver of A and a KC×32 sliver of B stay in L1/L2 while a micro-kernel
    /// runs; C is loaded and stored once per KC steps, so a deeper block spends less time on C.
    /// </summary>
    public const int DepthBlock = 384;

    /// <summary>Rows of A packed at once (MC): a 384×384 packed block (576 KiB) stays in a Zen 4 core's 1 MiB L2.</summary>
    public const int RowBlock = 384;

    /// <summary>
    /// Most floats of B packed at once (all of K by NC columns, shared by the threads): 4 Mi floats (16 MiB) hold
    /// every weight matrix of a BERT-base layer whole in the 32 MiB L3, and bound the buffer for very wide products (a
    /// vocabulary projection), which are cut into column blocks of equal width.
    /// </summary>
    public const int PackedBFloats = 4 << 20;

    /// <summary>
    /// Fewest rows of a part when a product of a single row block is cut by rows: 8 micro-kernel tiles of 12 rows, so
    /// each B panel loaded still sweeps several A slivers. Below that the product is cut by column panels.
    /// </summary>
    public const int MinPartRows = 96;

    /// <summary>
    /// Most rows of A a product over a packed B runs on the row kernel (<see cref="RowKernel{TSimd, TVector, TPanels}"/>)
    /// rather than the register tile, whose 6 or 12 rows would be mostly padding.
    /// </summary>
    public const int RowKernelRows = 1;

    /// <summary>
    /// Products with fewer multiply-adds than this (about 40 µs on one core) run on the calling thread alone: waking
    /// other threads costs more than they would save.
    /// </summary>
    public const long ParallelThreshold = 1 << 21;

    /// <summary>
    /// Fewest floats of a matrix packed once (<see cref="PackedMatrix"/>) for which the threads share the packing:
    /// 128 Ki floats (512 KiB of fresh memory) take tens of microseconds to copy, well above waking a worker.
    /// </summary>
    public const long ParallelPackFloats = 1 << 17;

    /// <summary>
    /// Parts per thread of a parallel product. Threads take parts as they free up, so a core slowed by other work does
    /// fewer of them; the extent of each part depends only on the sizes and the part count, so results do not change.
    /// </summary>
    public const int PartsPerThread = 4;

    /// <summary>Most parts a parallel product is cut into at the current <see cref="Parallelism.Degree"/>.</summary>
    public static int Parts => Parallelism.Degree * PartsPerThread;

    /// <summary>
    /// Parts for work of <paramref name="units"/> indivisible units, at most <paramref name="maxParts"/>: more parts
    /// than threads are rounded down to a multiple of the threads, so that no thread is left with one part more.
    /// </summary>
    public static int PartsFor(int units, int maxParts)
    {
        var degree = Parallelism.Degree;
        var parts = Math.Min(units, maxParts);
        return parts > degree ? parts - parts % degree : parts;
    }
}
