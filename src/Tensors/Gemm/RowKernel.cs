using System.Runtime.CompilerServices;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// The matrix-vector kernel (GEMV): one row of A times <c>TPanels.Count</c> packed panels of B, over the whole depth,
/// for products of a single row (a token generated at batch 1). The register tile of <see cref="MicroKernel{TSimd, TVector, THeight}"/>
/// would compute 6 or 12 rows of which one is wanted; here every multiply-add is wanted, and the panels side by side
/// give the fused multiply-adds independent chains (two per panel). Each element of C takes the tile's sequence
/// exactly: per depth block of <see cref="GemmBlocking.DepthBlock"/> steps, a sum from zero with one fused multiply-add
/// per step in order, then stored, added to C's old value (later blocks, or when accumulating) or to the bias (first
/// block), so the results are the bits of the blocked product.
/// </summary>
internal static unsafe class RowKernel<TSimd, TVector, TPanels>
    where TSimd : struct, ISimd<TVector>
    where TVector : struct
    where TPanels : struct, IPanelCount
{
    /// <summary>
    /// Computes columns <c>[column, column + TPanels.Count · 2 · Width)</c> of one row of a column block of C: writes
    /// <c>c = a · B</c>, or <c>c = c + a · B</c> when <paramref name="accumulate"/>, or <c>c = bias + a · B</c> when
    /// <paramref name="bias"/> is not null.
    /// </summary>
    /// <param name="depth">k, the length of the row of A.</param>
    /// <param name="a">The row of A, <paramref name="aStep"/> floats between consecutive elements.</param>
    /// <param name="aStep">Distance between consecutive elements of the row of A.</param>
    /// <param name="packedB">The column block's packed B: depth block <c>p0</c> at <c>p0 · paddedWidth</c>, its panel of column <c>j</c> at <c>j · kc</c> after that.</param>
    /// <param name="paddedWidth">The block's width rounded up to whole panels.</param>
    /// <param name="column">The first column (a multiple of the panel width) within the block.</param>
    /// <param name="c">Element <paramref name="column"/> of the row of C.</param>
    /// <param name="accumulate">Add to C rather than overwrite it.</param>
    /// <param name="bias">Null, or the bias of these columns (only when not <paramref name="accumulate"/>).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int depth, float* a, nint aStep, float* packedB, nint paddedWidth, nint column, float* c, bool accumulate, float* bias)
    {
        var w = TSimd.Width;
        var four = TPanels.Count == FourPanels.Count;
        for (var p0 = 0; p0 < depth; p0 += GemmBlocking.DepthBlock)
        {
            var kc = Math.Min(GemmBlocking.DepthBlock, depth - p0);
            var panel = (nint)2 * w * kc; // floats between the panels of this depth block
            var b = packedB + p0 * paddedWidth + column * kc;
            var x = a + p0 * aStep;
            TVector s00 = default, s01 = default, s10 = default, s11 = default;
            TVector s20 = default, s21 = default, s30 = default, s31 = default;
            for (var p = 0; p < kc; p++, b += 2 * w, x += aStep)
            {
                var broadcast = TSimd.Broadcast(*x);
                s00 = TSimd.MultiplyAdd(broadcast, TSimd.Load(b), s00);
                s01 = TSimd.MultiplyAdd(broadcast, TSimd.Load(b + w), s01);
                if (four)
                {
                    s10 = TSimd.MultiplyAdd(broadcast, TSimd.Load(b + panel), s10);
                    s11 = TSimd.MultiplyAdd(broadcast, TSimd.Load(b + panel + w), s11);
                    s20 = TSimd.MultiplyAdd(broadcast, TSimd.Load(b + 2 * panel), s20);
                    s21 = TSimd.MultiplyAdd(broadcast, TSimd.Load(b + 2 * panel + w), s21);
                    s30 = TSimd.MultiplyAdd(broadcast, TSimd.Load(b + 3 * panel), s30);
                    s31 = TSimd.MultiplyAdd(broadcast, TSimd.Load(b + 3 * panel + w), s31);
                }
            }

            // As the tile stores: the first block adds the bias (or C when accumulating), every later one C.
            var add = accumulate || p0 > 0 || bias != null;
            var addend = accumulate || p0 > 0 ? c : bias;
            Store(s00, c, add, addend);
            Store(s01, c + w, add, addend + w);
            if (four)
            {
                Store(s10, c + 2 * w, add, addend + 2 * w);
                Store(s11, c + 3 * w, add, addend + 3 * w);
                Store(s20, c + 4 * w, add, addend + 4 * w);
                Store(s21, c + 5 * w, add, addend + 5 * w);
                Store(s30, c + 6 * w, add, addend + 6 * w);
                Store(s31, c + 7 * w, add, addend + 7 * w);
            }
        }
    }

    /// <summary>Writes one vector of sums to C, added to the vector at <paramref name="addend"/> when <paramref name="add"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(TVector sum, float* destination, bool add, float* addend) =>
        TSimd.Store(add ? TSimd.Add(TSimd.Load(addend), sum) : sum, destination);
}

/// <summary>Panels of B one call of <see cref="RowKernel{TSimd, TVector, TPanels}"/> covers, as a type.</summary>
internal interface IPanelCount
{
    /// <summary>Panels side by side.</summary>
    static abstract int Count { get; }
}

/// <summary>Four panels: eight independent chains of fused multiply-adds, enough to cover their latency.</summary>
internal readonly struct FourPanels : IPanelCount
{
    /// <summary>The count as a constant.</summary>
    public const int Count = 4;

    static int IPanelCount.Count => Count;
}

/// <summary>One panel: the remainder of a range of panels.</summary>
internal readonly struct OnePanel : IPanelCount
{
    public static int Count => 1;
}
