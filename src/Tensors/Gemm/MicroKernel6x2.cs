using System.Runtime.CompilerServices;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// 6 rows by 2 vectors of C held in 12 registers: per step two B loads, 6 broadcasts of A and 12 fused multiply-adds.
/// Fits 16 vector registers: 6×16 tiles with 256-bit vectors, 6×8 with 128-bit ones, 6×2 with scalars.
/// </summary>
internal readonly unsafe struct MicroKernel6x2<TSimd, TVector> : IMicroKernel
    where TSimd : struct, ISimd<TVector>
    where TVector : struct
{
    public static int Rows => 6;

    public static int Columns => 2 * TSimd.Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int depth, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        var w = TSimd.Width;
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < depth; p++, a += 6, b += 2 * w)
        {
            var b0 = TSimd.Load(b);
            var b1 = TSimd.Load(b + w);
            var ai = TSimd.Broadcast(a[0]);
            c00 = TSimd.MultiplyAdd(ai, b0, c00);
            c01 = TSimd.MultiplyAdd(ai, b1, c01);
            ai = TSimd.Broadcast(a[1]);
            c10 = TSimd.MultiplyAdd(ai, b0, c10);
            c11 = TSimd.MultiplyAdd(ai, b1, c11);
            ai = TSimd.Broadcast(a[2]);
            c20 = TSimd.MultiplyAdd(ai, b0, c20);
            c21 = TSimd.MultiplyAdd(ai, b1, c21);
            ai = TSimd.Broadcast(a[3]);
            c30 = TSimd.MultiplyAdd(ai, b0, c30);
            c31 = TSimd.MultiplyAdd(ai, b1, c31);
            ai = TSimd.Broadcast(a[4]);
            c40 = TSimd.MultiplyAdd(ai, b0, c40);
            c41 = TSimd.MultiplyAdd(ai, b1, c41);
            ai = TSimd.Broadcast(a[5]);
            c50 = TSimd.MultiplyAdd(ai, b0, c50);
            c51 = TSimd.MultiplyAdd(ai, b1, c51);
        }

        TileStore<TSimd, TVector>.Row(c00, c01, c, accumulate);
        TileStore<TSimd, TVector>.Row(c10, c11, c + ldc, accumulate);
        TileStore<TSimd, TVector>.Row(c20, c21, c + 2 * ldc, accumulate);
        TileStore<TSimd, TVector>.Row(c30, c31, c + 3 * ldc, accumulate);
        TileStore<TSimd, TVector>.Row(c40, c41, c + 4 * ldc, accumulate);
        TileStore<TSimd, TVector>.Row(c50, c51, c + 5 * ldc, accumulate);
    }
}
