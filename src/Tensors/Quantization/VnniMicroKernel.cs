using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// The AVX-VNNI tile: <c>THeight.Rows</c> rows by 2 vectors of 8 32-bit sums. Per group of four depth steps: two
/// loads of B (16 columns × 4 bytes), one 4-byte broadcast of A per row, and two <c>vpdpbusd</c> per row, each adding
/// four unsigned-by-signed byte products into every lane (never saturating: at most 4 · 255 · 127 per group).
/// </summary>
internal readonly unsafe struct VnniMicroKernel<THeight> : IInt8MicroKernel
    where THeight : struct, ITileHeight
{
    private const int Width = 8; // 32-bit lanes per vector

    public static int Rows => THeight.Rows;

    public static int Columns => 2 * Width;

    public static bool IsSupported => AvxVnni.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int groups, byte* a, sbyte* b, Int8Tile tile, float* c, nint ldc)
    {
        var tall = THeight.Rows == TallTile.Height;
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector256<int> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector256<int> c90 = default, c91 = default, cA0 = default, cA1 = default, cB0 = default, cB1 = default;
        var step = Int8Packing.GroupDepth;
        for (var g = 0; g < groups; g++, a += step * THeight.Rows, b += step * 2 * Width)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + step * Width);
            Step(a, b0, b1, ref c00, ref c01);
            Step(a + step, b0, b1, ref c10, ref c11);
            Step(a + 2 * step, b0, b1, ref c20, ref c21);
            Step(a + 3 * step, b0, b1, ref c30, ref c31);
            Step(a + 4 * step, b0, b1, ref c40, ref c41);
            Step(a + 5 * step, b0, b1, ref c50, ref c51);
            if (tall)
            {
                Step(a + 6 * step, b0, b1, ref c60, ref c61);
                Step(a + 7 * step, b0, b1, ref c70, ref c71);
                Step(a + 8 * step, b0, b1, ref c80, ref c81);
                Step(a + 9 * step, b0, b1, ref c90, ref c91);
                Step(a + 10 * step, b0, b1, ref cA0, ref cA1);
                Step(a + 11 * step, b0, b1, ref cB0, ref cB1);
            }
        }

        Store(c00, c01, tile, 0, c);
        Store(c10, c11, tile, 1, c + ldc);
        Store(c20, c21, tile, 2, c + 2 * ldc);
        Store(c30, c31, tile, 3, c + 3 * ldc);
        Store(c40, c41, tile, 4, c + 4 * ldc);
        Store(c50, c51, tile, 5, c + 5 * ldc);
        if (tall)
        {
            Store(c60, c61, tile, 6, c + 6 * ldc);
            Store(c70, c71, tile, 7, c + 7 * ldc);
            Store(c80, c81, tile, 8, c + 8 * ldc);
            Store(c90, c91, tile, 9, c + 9 * ldc);
            Store(cA0, cA1, tile, 10, c + 10 * ldc);
            Store(cB0, cB1, tile, 11, c + 11 * ldc);
        }
    }

    /// <summary>One group of one row: <c>row += a · (b0, b1)</c>, four byte products per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(byte* a, Vector256<sbyte> b0, Vector256<sbyte> b1, ref Vector256<int> left, ref Vector256<int> right)
    {
        var broadcast = Vector256.Create(*(int*)a).AsByte();
        left = AvxVnni.MultiplyWideningAndAdd(left, broadcast, b0);
        right = AvxVnni.MultiplyWideningAndAdd(right, broadcast, b1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<int> left, Vector256<int> right, Int8Tile tile, int row, float* c)
    {
        Int8Epilogue.Store(left, tile, row, 0, c);
        Int8Epilogue.Store(right, tile, row, Width, c + Width);
    }
}
