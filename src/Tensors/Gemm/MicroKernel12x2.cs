using System.Runtime.CompilerServices;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// 12 rows by 2 vectors of C held in 24 registers: per step two B loads, 12 broadcasts of A and 24 fused
/// multiply-adds. Needs 32 vector registers (AVX-512): with 512-bit vectors it computes 12×32 tiles.
/// </summary>
internal readonly unsafe struct MicroKernel12x2<TSimd, TVector> : IMicroKernel
    where TSimd : struct, ISimd<TVector>
    where TVector : struct
{
    public static int Rows => 12;

    public static int Columns => 2 * TSimd.Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int depth, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        var w = TSimd.Width;
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        TVector c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        TVector c90 = default, c91 = default, cA0 = default, cA1 = default, cB0 = default, cB1 = default;
        for (var p = 0; p < depth; p++, a += 12, b += 2 * w)
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
            ai = TSimd.Broadcast(a[6]);
            c60 = TSimd.MultiplyAdd(ai, b0, c60);
            c61 = TSimd.MultiplyAdd(ai, b1, c61);
            ai = TSimd.Broadcast(a[7]);
            c70 = TSimd.MultiplyAdd(ai, b0, c70);
            c71 = TSimd.MultiplyAdd(ai, b1, c71);
            ai = TSimd.Broadcast(a[8]);
            c80 = TSimd.MultiplyAdd(ai, b0, c80);
            c81 = TSimd.MultiplyAdd(ai, b1, c81);
            ai = TSimd.Broadcast(a[9]);
            c90 = TSimd.MultiplyAdd(ai, b0, c90);
            c91 = TSimd.MultiplyAdd(ai, b1, c91);
            ai = TSimd.Broadcast(a[10]);
            cA0 = TSimd.MultiplyAdd(ai, b0, cA0);
            cA1 = TSimd.MultiplyAdd(ai, b1, cA1);
            ai = TSimd.Broadcast(a[11]);
            cB0 = TSimd.MultiplyAdd(ai, b0, cB0);
            cB1 = TSimd.MultiplyAdd(ai, b1, cB1);
        }

        TileStore<TSimd, TVector>.Row(c00, c01, c, accumulate);
        TileStore<TSimd, TVector>.Row(c10, c11, c + ldc, accumulate);
        TileStore<TSimd, TVector>.Row(c20, c21, c + 2 * ldc, accumulate);
        TileStore<TSimd, TVector>.Row(c30, c31, c + 3 * ldc, accumulate);
        TileStore<TSimd, TVector>.Row(c40, c41, c + 4 * ldc, accumulate);
        TileStore<TSimd, TVector>.Row(c50, c51, c + 5 * ldc, accumulate);
        TileStore<TSimd, TVector>.Row(c60, c61, c + 6 * ldc, accumulate);
        TileStore<TSimd, TVector>.Row(c70, c71, c + 7 * ldc, accumulate);
        TileStore<TSimd, TVector>.Row(c80, c81, c + 8 * ldc, accumulate);
        TileStore<TSimd, TVector>.Row(c90, c91, c + 9 * ldc, accumulate);
        TileStore<TSimd, TVector>.Row(cA0, cA1, c + 10 * ldc, accumulate);
        TileStore<TSimd, TVector>.Row(cB0, cB1, c + 11 * ldc, accumulate);
    }
}
