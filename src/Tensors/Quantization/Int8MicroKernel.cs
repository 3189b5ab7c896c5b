using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// The 8-bit register tile: <c>THeight.Rows</c> rows by two vectors of 32-bit sums held in registers over the whole
/// depth; per group of four depth steps, one load of B into two operands and one step per row (see
/// <see cref="IInt8Step{TOperand}"/>). 12 rows (24 accumulators) need 32 vector registers; 6 rows fit 16.
/// </summary>
internal readonly unsafe struct Int8MicroKernel<TStep, TOperand, THeight> : IInt8MicroKernel
    where TStep : struct, IInt8Step<TOperand>
    where TOperand : struct
    where THeight : struct, ITileHeight
{
    public static int Rows => THeight.Rows;

    public static int Columns => TStep.Columns;

    public static bool IsSupported => TStep.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int groups, byte* a, sbyte* b, Int8Tile tile, float* c, nint ldc)
    {
        var tall = THeight.Rows == TallTile.Height;
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector256<int> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector256<int> c90 = default, c91 = default, cA0 = default, cA1 = default, cB0 = default, cB1 = default;
        var step = Int8Packing.GroupDepth;
        for (var g = 0; g < groups; g++, a += step * THeight.Rows, b += step * TStep.Columns)
        {
            TStep.Load(b, out var b0, out var b1);
            TStep.Step(a, b0, b1, ref c00, ref c01);
            TStep.Step(a + step, b0, b1, ref c10, ref c11);
            TStep.Step(a + 2 * step, b0, b1, ref c20, ref c21);
            TStep.Step(a + 3 * step, b0, b1, ref c30, ref c31);
            TStep.Step(a + 4 * step, b0, b1, ref c40, ref c41);
            TStep.Step(a + 5 * step, b0, b1, ref c50, ref c51);
            if (tall)
            {
                TStep.Step(a + 6 * step, b0, b1, ref c60, ref c61);
                TStep.Step(a + 7 * step, b0, b1, ref c70, ref c71);
                TStep.Step(a + 8 * step, b0, b1, ref c80, ref c81);
                TStep.Step(a + 9 * step, b0, b1, ref c90, ref c91);
                TStep.Step(a + 10 * step, b0, b1, ref cA0, ref cA1);
                TStep.Step(a + 11 * step, b0, b1, ref cB0, ref cB1);
            }
        }

        TStep.Store(c00, c01, tile, 0, c);
        TStep.Store(c10, c11, tile, 1, c + ldc);
        TStep.Store(c20, c21, tile, 2, c + 2 * ldc);
        TStep.Store(c30, c31, tile, 3, c + 3 * ldc);
        TStep.Store(c40, c41, tile, 4, c + 4 * ldc);
        TStep.Store(c50, c51, tile, 5, c + 5 * ldc);
        if (tall)
        {
            TStep.Store(c60, c61, tile, 6, c + 6 * ldc);
            TStep.Store(c70, c71, tile, 7, c + 7 * ldc);
            TStep.Store(c80, c81, tile, 8, c + 8 * ldc);
            TStep.Store(c90, c91, tile, 9, c + 9 * ldc);
            TStep.Store(cA0, cA1, tile, 10, c + 10 * ldc);
            TStep.Store(cB0, cB1, tile, 11, c + 11 * ldc);
        }
    }
}
