using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// The AVX2 tile for CPUs without VNNI: 6 rows by 8 columns. Per group, B's 8 columns × 4 bytes are sign-extended to
/// two vectors of 16-bit values (4 columns each), each row's 4 bytes of A zero-extended and broadcast, and
/// <c>vpmaddwd</c> adds pairs of exact 16-bit products into 32-bit lanes: every column keeps two partial sums (depth
/// steps 0-1 and 2-3), added together once, when the tile is stored.
/// </summary>
internal readonly unsafe struct WideningMicroKernel : IInt8MicroKernel
{
    private const int Width = 8; // 32-bit lanes per vector
    private const byte InterleavedToColumnOrder = 0b11_01_10_00; // 64-bit lanes (0, 2, 1, 3)

    public static int Rows => ShortTile.Height;

    public static int Columns => Width;

    public static bool IsSupported => Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int groups, byte* a, sbyte* b, Int8Tile tile, float* c, nint ldc)
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        var step = Int8Packing.GroupDepth;
        for (var g = 0; g < groups; g++, a += step * ShortTile.Height, b += step * Width)
        {
            var b0 = Avx2.ConvertToVector256Int16(b); // columns 0-3 × 4 steps
            var b1 = Avx2.ConvertToVector256Int16(b + step * Width / 2); // columns 4-7
            Step(a, b0, b1, ref c00, ref c01);
            Step(a + step, b0, b1, ref c10, ref c11);
            Step(a + 2 * step, b0, b1, ref c20, ref c21);
            Step(a + 3 * step, b0, b1, ref c30, ref c31);
            Step(a + 4 * step, b0, b1, ref c40, ref c41);
            Step(a + 5 * step, b0, b1, ref c50, ref c51);
        }

        Store(c00, c01, tile, 0, c);
        Store(c10, c11, tile, 1, c + ldc);
        Store(c20, c21, tile, 2, c + 2 * ldc);
        Store(c30, c31, tile, 3, c + 3 * ldc);
        Store(c40, c41, tile, 4, c + 4 * ldc);
        Store(c50, c51, tile, 5, c + 5 * ldc);
    }

    /// <summary>One group of one row: the row's 4 bytes widened to 16 bits, repeated for each of 4 columns, times B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(byte* a, Vector256<short> b0, Vector256<short> b1, ref Vector256<int> left, ref Vector256<int> right)
    {
        var widened = Sse41.ConvertToVector128Int16(Vector128.CreateScalar(*(uint*)a).AsByte()).AsInt64();
        var broadcast = Avx2.BroadcastScalarToVector256(widened).AsInt16();
        left = Avx2.Add(left, Avx2.MultiplyAddAdjacent(b0, broadcast));
        right = Avx2.Add(right, Avx2.MultiplyAddAdjacent(b1, broadcast));
    }

    /// <summary>Adds each column's two partial sums and stores the row's 8 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<int> left, Vector256<int> right, Int8Tile tile, int row, float* c)
    {
        var interleaved = Avx2.HorizontalAdd(left, right); // columns (0, 1, 4, 5 | 2, 3, 6, 7)
        var sums = Avx2.Permute4x64(interleaved.AsInt64(), InterleavedToColumnOrder).AsInt32();
        Int8Epilogue.Store(sums, tile, row, 0, c);
    }
}
