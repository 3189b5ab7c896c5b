using System.Runtime.CompilerServices;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// The blocked 8-bit product around one micro-kernel. A's rows are quantised into packed panels of MR rows (a buffer
/// of the calling thread, shared with the other threads of the product); then blocks of rows that stay in L2 are swept
/// by every packed panel of B, one register tile after another. Parts are ranges of row tiles (each part quantises its
/// own rows) or, when rows are few, ranges of column panels (A quantised first, whole). Every element is one exact
/// integer sum and one dequantisation, so the result does not depend on the parts.
/// </summary>
internal static unsafe partial class Int8Driver<TKernel>
    where TKernel : struct, IInt8MicroKernel
{
    /// <summary>Runs <paramref name="problem"/> split into at most <paramref name="parts"/> parts.</summary>
    public static void Multiply(Int8Problem problem, int parts)
    {
        if (problem.M == 0 || problem.N == 0)
            return;
        var work = new Work(problem);
        var tiles = work.RowTiles;
        var splitRows = tiles >= Int8Blocking.MinPartTiles * Math.Min(parts, Parallelism.Degree);
        parts = GemmBlocking.PartsFor(splitRows ? tiles : work.Panels, parts);
        if (parts == 1)
        {
            work.Quantize(0, tiles);
            work.Compute(0, tiles, 0, work.Panels);
            return;
        }
        if (!splitRows)
            work.Quantize(0, tiles);
        ParallelLoop.OfThisThread.Run(work, parts, splitRows);
    }

    /// <summary>Bytes of packed B for n columns over k: whole panels of NR columns, whole groups of 4 steps.</summary>
    public static long PackedLength(int n, int k) =>
        (n + TKernel.Columns - 1) / TKernel.Columns * Int8Packing.PanelBytes(Int8Packing.Groups(k), TKernel.Columns);

    /// <summary>One product with its quantised A: panels of MR rows, then per row a scale and a zero point (0 for padding rows).</summary>
    private readonly struct Work
    {
        private readonly Int8Problem _problem;
        private readonly byte* _packedA;
        private readonly float* _rowScales;
        private readonly int* _zeroPoints;
        private readonly int _groups;

        public Work(Int8Problem problem)
        {
            _problem = problem;
            _groups = Int8Packing.Groups(problem.K);
            var rows = (long)RowTiles * TKernel.Rows;
            var bytes = rows * _groups * Int8Packing.GroupDepth;
            _packedA = (byte*)PackingBuffer.ForQuantizedA.Get((bytes + rows * (sizeof(float) + sizeof(int))) / sizeof(float) + 1);
            _rowScales = (float*)(_packedA + bytes);
            _zeroPoints = (int*)(_rowScales + rows);
        }

        /// <summary>Tiles of MR rows covering A.</summary>
        public int RowTiles => (_problem.M + TKernel.Rows - 1) / TKernel.Rows;

        /// <summary>Panels of NR columns covering B.</summary>
        public int Panels => (_problem.N + TKernel.Columns - 1) / TKernel.Columns;

        /// <summary>Quantises the rows of tiles <c>[first, end)</c> into their panels, padding rows with zeros.</summary>
        public void Quantize(int first, int end)
        {
            int mr = TKernel.Rows, k = _problem.K, depth = _groups * Int8Packing.GroupDepth;
            var row = (byte*)PackingBuffer.ForA.Get(depth / sizeof(float) + 1); // this thread's scratch
            var values = new Span<byte>(row, depth);
            values[k..].Clear();
            for (var i = first * mr; i < end * mr; i++)
            {
                if (i < _problem.M)
                {
                    _rowScales[i] = AsymmetricQuantization.Quantize(new ReadOnlySpan<float>(_problem.A + (long)i * k, k), values[..k], out _zeroPoints[i]);
                }
                else
                {
                    (_rowScales[i], _zeroPoints[i]) = (0f, 0);
                    values.Clear();
                }
                Int8Packing.PackRow(row, _groups, i % mr, mr, _packedA + (i / mr) * Int8Packing.PanelBytes(_groups, mr));
            }
        }

        /// <summary>Computes the tiles <c>[firstTile, endTile)</c> of rows within panels <c>[firstPanel, endPanel)</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Compute(int firstTile, int endTile, int firstPanel, int endPanel)
        {
            int mr = TKernel.Rows, nr = TKernel.Columns;
            var (aPanel, bPanel) = (Int8Packing.PanelBytes(_groups, mr), Int8Packing.PanelBytes(_groups, nr));
            var tilesPerBlock = (int)Math.Max(1, Int8Blocking.RowBlockBytes / Math.Max(1, aPanel));
            var (b, n, ldc) = (_problem.B, _problem.N, (nint)_problem.N);
            for (var block = firstTile; block < endTile; block += tilesPerBlock)
            {
                var blockEnd = Math.Min(endTile, block + tilesPerBlock);
                for (var panel = firstPanel; panel < endPanel; panel++)
                {
                    var column = panel * nr;
                    var columns = Math.Min(nr, n - column);
                    var bias = _problem.Bias == null ? null : _problem.Bias + column;
                    for (var t = block; t < blockEnd; t++)
                    {
                        var row = t * mr;
                        var tile = new Int8Tile(b.Sums + column, b.Scales + column, _rowScales + row, _zeroPoints + row, bias);
                        var a = _packedA + t * aPanel;
                        var c = _problem.C + (long)row * ldc + column;
                        var rows = Math.Min(mr, _problem.M - row);
                        if (rows == mr && columns == nr)
                            TKernel.Run(_groups, a, b.Data + panel * bPanel, tile, c, ldc);
                        else
                            RunEdge(_groups, a, b.Data + panel * bPanel, tile, c, ldc, rows, columns);
                    }
                }
            }
        }
    }

    /// <summary>A partial tile: the kernel runs on a full tile on the stack (bias padded), and only the valid part is copied to C.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void RunEdge(int groups, byte* a, sbyte* b, Int8Tile tile, float* c, nint ldc, int rows, int columns)
    {
        var nr = TKernel.Columns;
        var result = stackalloc float[TKernel.Rows * nr];
        var bias = stackalloc float[nr];
        if (tile.Bias != null)
        {
            new Span<float>(bias, nr).Clear();
            new ReadOnlySpan<float>(tile.Bias, columns).CopyTo(new Span<float>(bias, nr));
        }
        TKernel.Run(groups, a, b, new Int8Tile(tile.ColumnSums, tile.ColumnScales, tile.RowScales, tile.ZeroPoints, tile.Bias == null ? null : bias), result, nr);
        for (var i = 0; i < rows; i++)
            new ReadOnlySpan<float>(result + i * nr, columns).CopyTo(new Span<float>(c + i * ldc, columns));
    }
}
