using System.Runtime.CompilerServices;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// The BLIS-style blocked product around one micro-kernel. For each block of NC columns, all of op(B) (K × NC) is
/// packed once into panels shared by the threads; then the block is cut into parts of fixed extent (ranges of rows,
/// or of column panels when rows are few), and each part packs MC×KC blocks of op(A) into its thread's buffer and
/// sweeps the micro-kernel over them: B panels outside (one stays in L1/L2), A panels inside (the block stays in L2).
/// </summary>
internal static unsafe partial class GemmDriver<TKernel>
    where TKernel : struct, IMicroKernel
{
    /// <summary>Runs <paramref name="problem"/> split into at most <paramref name="parts"/> parts of fixed extent.</summary>
    public static void Multiply(GemmProblem problem, int parts)
    {
        if (IsEmpty(problem))
            return;
        var width = ColumnBlockWidth(problem);
        var packedB = PackingBuffer.ForB.Get((long)problem.K * width);
        for (var jc = 0; jc < problem.N; jc += width)
            RunColumnBlock(new ColumnBlock(problem, packedB, jc, Math.Min(width, problem.N - jc)), parts, packB: true);
    }

    /// <summary>
    /// Runs <paramref name="problem"/> (its B unused) on op(B) already packed by <see cref="Pack"/>: the same blocks,
    /// parts and sums as <see cref="Multiply"/>, without packing B.
    /// </summary>
    public static void MultiplyPacked(GemmProblem problem, float* packedB, int parts)
    {
        if (IsEmpty(problem))
            return;
        var width = ColumnBlockWidth(problem);
        for (var jc = 0; jc < problem.N; jc += width)
        {
            var block = new ColumnBlock(problem, packedB + (long)jc * problem.K, jc, Math.Min(width, problem.N - jc));
            if (problem.M <= GemmBlocking.RowKernelRows)
                RunRows(block, parts);
            else
                RunColumnBlock(block, parts, packB: false);
        }
    }

    /// <summary>Runs one column block row by row on the row kernel, cut into ranges of whole panel groups.</summary>
    private static void RunRows(ColumnBlock block, int parts)
    {
        parts = GemmBlocking.PartsFor((block.Panels + FourPanels.Count - 1) / FourPanels.Count, parts);
        if (parts == 1)
            block.ComputeRows(0, block.Panels);
        else
            ParallelLoop.OfThisThread.RunRows(block, parts);
    }

    /// <summary>
    /// Packs all of op(B) of <paramref name="problem"/> (its A and C unused) at <paramref name="destination"/>
    /// (<see cref="PackedLength"/> floats): each column block as <see cref="Multiply"/> packs it, one after another,
    /// its panels cut into ranges for the threads when the matrix is large.
    /// </summary>
    public static void Pack(GemmProblem problem, float* destination)
    {
        var width = ColumnBlockWidth(problem);
        var parallel = (long)problem.K * problem.N >= GemmBlocking.ParallelPackFloats;
        for (var jc = 0; jc < problem.N; jc += width)
        {
            var block = new ColumnBlock(problem, destination + (long)jc * problem.K, jc, Math.Min(width, problem.N - jc));
            var parts = parallel ? GemmBlocking.PartsFor(block.Panels, GemmBlocking.Parts) : 1;
            if (parts == 1)
                block.PackB(0, block.Panels);
            else
                ParallelLoop.OfThisThread.PackColumnBlock(block, parts);
        }
    }

    /// <summary>Floats <see cref="Pack"/> writes for a k×n op(B): every column rounded up to whole panels.</summary>
    public static long PackedLength(int n, int k) => (long)k * RoundUp(n, TKernel.Columns);

    /// <summary>Handles a product with no multiply-adds (clearing C when k is 0); true when nothing is left to do.</summary>
    private static bool IsEmpty(GemmProblem problem)
    {
        if (problem.M == 0 || problem.N == 0)
            return true;
        if (problem.K != 0)
            return false;
        if (!problem.Accumulate)
            Clear(problem);
        return true;
    }

    /// <summary>Columns of one block: all of them, or equal blocks whose packed B fits <see cref="GemmBlocking.PackedBFloats"/>.</summary>
    private static int ColumnBlockWidth(GemmProblem problem)
    {
        var widest = Math.Max(TKernel.Columns, GemmBlocking.PackedBFloats / problem.K);
        var blocks = (problem.N + widest - 1) / widest;
        return RoundUp((problem.N + blocks - 1) / blocks, TKernel.Columns);
    }

    /// <summary>Runs every product of <paramref name="batch"/>, the batch split into at most <paramref name="parts"/> ranges.</summary>
    public static void MultiplyBatch(GemmProblem problem, GemmBatch batch, int parts)
    {
        if (parts == 1)
            MultiplyRange(problem, batch, 0, batch.Count);
        else
            ParallelLoop.OfThisThread.RunBatch(problem, batch, parts);
    }

    private static void MultiplyRange(GemmProblem problem, GemmBatch batch, int start, int end)
    {
        for (var index = start; index < end; index++)
            Multiply(batch.Locate(problem, index), parts: 1);
    }

    /// <summary>
    /// Runs one column block (packing its B panels first when <paramref name="packB"/>), cut by rows when it has several row blocks (no part smaller than about one, so that each
    /// B panel still sweeps many A panels) or rows enough for every thread to take <see cref="GemmBlocking.MinPartRows"/>
    /// (each part then packs only its own rows of A), else by column panels (every part packs all of A).
    /// </summary>
    private static void RunColumnBlock(ColumnBlock block, int parts, bool packB)
    {
        var m = block.Problem.M;
        var rowBlocks = (m + GemmBlocking.RowBlock - 1) / GemmBlocking.RowBlock;
        var rowUnits = rowBlocks > 1 ? rowBlocks : m / GemmBlocking.MinPartRows;
        var splitRows = rowBlocks > 1 || rowUnits >= Math.Min(parts, Parallelism.Degree) && rowUnits > 1;
        parts = GemmBlocking.PartsFor(splitRows ? rowUnits : block.Panels, parts);
        if (parts == 1)
        {
            if (packB)
                block.PackB(0, block.Panels);
            block.Compute(0, block.Problem.M, 0, block.Panels);
        }
        else
        {
            ParallelLoop.OfThisThread.RunColumnBlock(block, parts, splitRows, packB);
        }
    }

    private static void Clear(GemmProblem problem)
    {
        for (var i = 0; i < problem.M; i++)
            new Span<float>(problem.C + i * problem.Ldc, problem.N).Clear();
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Columns <c>[start, start + count)</c> of C, with all of op(B) for them packed at <c>packedB</c>.</summary>
    private readonly struct ColumnBlock(GemmProblem problem, float* packedB, int start, int count)
    {
        /// <summary>The whole product this block is part of.</summary>
        public GemmProblem Problem => problem;

        /// <summary>Number of NR-wide panels of B (the last one zero-padded).</summary>
        public int Panels => (count + TKernel.Columns - 1) / TKernel.Columns;

        /// <summary>Floats of packed B per step of k: the block's width rounded up to whole panels.</summary>
        private int PaddedWidth => Panels * TKernel.Columns;

        /// <summary>Packs panels <c>[first, end)</c> for every KC block of k: KC block at <c>p0</c> starts at <c>p0 · PaddedWidth</c>.</summary>
        public void PackB(int first, int end)
        {
            var nr = TKernel.Columns;
            var lanes = Math.Min(count, end * nr) - first * nr;
            if (lanes <= 0)
                return;
            for (var p0 = 0; p0 < problem.K; p0 += GemmBlocking.DepthBlock)
            {
                var kc = Math.Min(GemmBlocking.DepthBlock, problem.K - p0);
                var source = problem.B + p0 * problem.BDepthStride + (start + first * nr) * problem.BColumnStride;
                var destination = packedB + (long)p0 * PaddedWidth + (long)first * nr * kc;
                GemmPacking.Pack(source, problem.BColumnStride, problem.BDepthStride, lanes, kc, nr, destination);
            }
        }

        /// <summary>
        /// Computes every row of C within panels <c>[first, end)</c> of the block on the row kernel: four panels at a
        /// time (each group of B read from memory once, then from cache for the next rows), the rest one by one.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ComputeRows(int first, int end)
        {
            var (nr, group) = (TKernel.Columns, FourPanels.Count);
            var panel = first;
            for (; panel + group <= end && (panel + group) * nr <= count; panel += group)
            {
                for (var i = 0; i < problem.M; i++)
                    RunRow(i, panel, fourPanels: true);
            }

            for (; panel < end; panel++)
            {
                for (var i = 0; i < problem.M; i++)
                    RunRow(i, panel, fourPanels: false);
            }
        }

        /// <summary>Row <paramref name="row"/> of C over one panel group, or one (possibly partial) panel.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void RunRow(int row, int panel, bool fourPanels)
        {
            var column = panel * TKernel.Columns;
            var a = problem.A + row * problem.ARowStride;
            var c = problem.C + row * problem.Ldc + start + column;
            var bias = problem.Bias == null ? null : problem.Bias + start + column;
            var columns = count - column;
            if (fourPanels || columns >= TKernel.Columns)
                TKernel.RunRow(problem.K, a, problem.ADepthStride, packedB, PaddedWidth, column, fourPanels, c, problem.Accumulate, bias);
            else
                RunRowEdge(problem.K, a, problem.ADepthStride, packedB, PaddedWidth, column, c, columns, problem.Accumulate, bias);
        }

        /// <summary>Computes rows <c>[rowStart, rowEnd)</c> of C within panels <c>[first, end)</c> of the block.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Compute(int rowStart, int rowEnd, int first, int end)
        {
            int mr = TKernel.Rows, nr = TKernel.Columns;
            var packedA = PackingBuffer.ForA.Get((long)RoundUp(GemmBlocking.RowBlock, mr) * GemmBlocking.DepthBlock);
            for (var ic = rowStart; ic < rowEnd; ic += GemmBlocking.RowBlock)
            {
                var mc = Math.Min(GemmBlocking.RowBlock, rowEnd - ic);
                for (var p0 = 0; p0 < problem.K; p0 += GemmBlocking.DepthBlock)
                {
                    var kc = Math.Min(GemmBlocking.DepthBlock, problem.K - p0);
                    var source = problem.A + ic * problem.ARowStride + p0 * problem.ADepthStride;
                    GemmPacking.Pack(source, problem.ARowStride, problem.ADepthStride, mc, kc, mr, packedA);
                    var accumulate = problem.Accumulate || p0 > 0;
                    var bias = accumulate || problem.Bias == null ? null : problem.Bias + start; // the first depth block adds the bias
                    for (var panel = first; panel < end; panel++)
                    {
                        var column = panel * nr;
                        var columns = Math.Min(nr, count - column);
                        var b = packedB + (long)p0 * PaddedWidth + (long)column * kc;
                        var panelBias = bias == null ? null : bias + column;
                        for (var ir = 0; ir < mc; ir += mr)
                        {
                            var c = problem.C + (ic + ir) * problem.Ldc + start + column;
                            var rows = Math.Min(mr, mc - ir);
                            if (rows == mr && columns == nr)
                                TKernel.Run(kc, packedA + ir * kc, b, c, problem.Ldc, accumulate, panelBias);
                            else
                                RunEdge(kc, packedA + ir * kc, b, c, problem.Ldc, rows, columns, accumulate, panelBias);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// A partial panel of one row: the row kernel runs on a full panel on the stack, started from C's valid part (or the
    /// bias) when adding, and only the valid part touches C.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunRowEdge(
        int depth, float* a, nint aStep, float* packedB, nint paddedWidth, nint column, float* c, int columns, bool accumulate, float* bias)
    {
        var tile = stackalloc float[TKernel.Columns];
        var bytes = (uint)(columns * sizeof(float));
        if (accumulate || bias != null)
            Unsafe.CopyBlockUnaligned(tile, accumulate ? c : bias, bytes);
        TKernel.RunRow(depth, a, aStep, packedB, paddedWidth, column, fourPanels: false, tile, accumulate || bias != null, null);
        Unsafe.CopyBlockUnaligned(c, tile, bytes);
    }

    /// <summary>
    /// A partial tile: the kernel runs on a full tile on the stack, started from C's valid part (or the bias) when
    /// adding, and only the valid part touches C.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void RunEdge(int kc, float* a, float* b, float* c, nint ldc, int rows, int columns, bool accumulate, float* bias)
    {
        var nr = TKernel.Columns;
        var tile = stackalloc float[TKernel.Rows * nr];
        var bytes = (uint)(columns * sizeof(float));
        if (accumulate || bias != null)
        {
            for (var i = 0; i < rows; i++)
                Unsafe.CopyBlockUnaligned(tile + i * nr, accumulate ? c + i * ldc : bias, bytes);
        }

        TKernel.Run(kc, a, b, tile, nr, accumulate || bias != null, null);
        for (var i = 0; i < rows; i++)
            Unsafe.CopyBlockUnaligned(c + i * ldc, tile + i * nr, bytes);
    }
}
