using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// The register tile: <c>THeight.Rows</c> rows by 2 vectors of C held in registers while k runs; per step two B loads,
/// one broadcast of A per row and two fused multiply-adds per row. 12 rows (24 accumulators) need 32 vector
/// registers (AVX-512: 12×32 tiles of 512-bit vectors); 6 rows (12 accumulators) fit 16 (6×16 with 256-bit vectors,
/// 6×8 with 128-bit ones, 6×2 with scalars). The height is a type so that the JIT drops the rows a tile lacks.
/// </summary>
internal readonly unsafe struct MicroKernel<TSimd, TVector, THeight> : IMicroKernel
    where TSimd : struct, ISimd<TVector>
    where TVector : struct
    where THeight : struct, ITileHeight
{
    public static int Rows => THeight.Rows;

    public static int Columns => 2 * TSimd.Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int depth, float* a, float* b, float* c, nint ldc, bool accumulate, float* bias)
    {
        var w = TSimd.Width;
        var tall = THeight.Rows == TallTile.Height;
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        TVector c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        TVector c90 = default, c91 = default, cA0 = default, cA1 = default, cB0 = default, cB1 = default;
        if (Sse.IsSupported)
        {
            // Start fetching the tile of C now: it is stored (and read, when accumulating) after the k loop.
            for (var row = 0; row < THeight.Rows; row++)
            {
                Sse.Prefetch0(c + row * ldc);
                Sse.Prefetch0(c + row * ldc + 2 * w - 1);
            }
        }

        for (var p = 0; p < depth; p++, a += THeight.Rows, b += 2 * w)
        {
            var b0 = TSimd.Load(b);
            var b1 = TSimd.Load(b + w);
            Step(a[0], b0, b1, ref c00, ref c01);
            Step(a[1], b0, b1, ref c10, ref c11);
            Step(a[2], b0, b1, ref c20, ref c21);
            Step(a[3], b0, b1, ref c30, ref c31);
            Step(a[4], b0, b1, ref c40, ref c41);
            Step(a[5], b0, b1, ref c50, ref c51);
            if (tall)
            {
                Step(a[6], b0, b1, ref c60, ref c61);
                Step(a[7], b0, b1, ref c70, ref c71);
                Step(a[8], b0, b1, ref c80, ref c81);
                Step(a[9], b0, b1, ref c90, ref c91);
                Step(a[10], b0, b1, ref cA0, ref cA1);
                Step(a[11], b0, b1, ref cB0, ref cB1);
            }
        }

        // The bias of the tile's columns takes the place of C's old values: bias + A·B, the same sum as C + A·B on a
        // C that holds the bias.
        var add = accumulate || bias != null;
        var addend = accumulate ? c : bias;
        var addendStride = accumulate ? ldc : 0;
        Store(c00, c01, c, add, addend);
        Store(c10, c11, c + ldc, add, addend + addendStride);
        Store(c20, c21, c + 2 * ldc, add, addend + 2 * addendStride);
        Store(c30, c31, c + 3 * ldc, add, addend + 3 * addendStride);
        Store(c40, c41, c + 4 * ldc, add, addend + 4 * addendStride);
        Store(c50, c51, c + 5 * ldc, add, addend + 5 * addendStride);
        if (tall)
        {
            Store(c60, c61, c + 6 * ldc, add, addend + 6 * addendStride);
            Store(c70, c71, c + 7 * ldc, add, addend + 7 * addendStride);
            Store(c80, c81, c + 8 * ldc, add, addend + 8 * addendStride);
            Store(c90, c91, c + 9 * ldc, add, addend + 9 * addendStride);
            Store(cA0, cA1, c + 10 * ldc, add, addend + 10 * addendStride);
            Store(cB0, cB1, c + 11 * ldc, add, addend + 11 * addendStride);
        }
    }

    public static void RunRow(
        int depth, float* a, nint aStep, float* packedB, nint paddedWidth, nint column, bool fourPanels, float* c, bool accumulate, float* bias)
    {
        if (fourPanels)
            RowKernel<TSimd, TVector, FourPanels>.Run(depth, a, aStep, packedB, paddedWidth, column, c, accumulate, bias);
        else
            RowKernel<TSimd, TVector, OnePanel>.Run(depth, a, aStep, packedB, paddedWidth, column, c, accumulate, bias);
    }

    /// <summary>One step of one row: <c>row += a · (b0, b1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(float a, TVector b0, TVector b1, ref TVector left, ref TVector right)
    {
        var broadcast = TSimd.Broadcast(a);
        left = TSimd.MultiplyAdd(broadcast, b0, left);
        right = TSimd.MultiplyAdd(broadcast, b1, right);
    }

    /// <summary>Writes one row of the tile to C, added to the row at <paramref name="addend"/> (C's own row, or the bias) when <paramref name="add"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(TVector left, TVector right, float* row, bool add, float* addend)
    {
        var w = TSimd.Width;
        if (add)
        {
            left = TSimd.Add(TSimd.Load(addend), left);
            right = TSimd.Add(TSimd.Load(addend + w), right);
        }

        TSimd.Store(left, row);
        TSimd.Store(right, row + w);
    }
}

/// <summary>Rows of a micro-kernel's register tile, as a type.</summary>
internal interface ITileHeight
{
    /// <summary>Rows of C per tile (MR).</summary>
    static abstract int Rows { get; }
}

/// <summary>12-row tiles: 24 accumulators, for CPUs with 32 vector registers.</summary>
internal readonly struct TallTile : ITileHeight
{
    /// <summary>The height as a constant.</summary>
    public const int Height = 12;

    public static int Rows => Height;
}

/// <summary>6-row tiles: 12 accumulators, for CPUs with 16 vector registers.</summary>
internal readonly struct ShortTile : ITileHeight
{
    /// <summary>The height as a constant.</summary>
    public const int Height = 6;

    public static int Rows => Height;
}
