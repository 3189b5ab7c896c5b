using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Dequantisation of a tile's exact integer sums, as every 8-bit kernel does it:
/// <c>((float)(sum − zeroPoint · columnSum) · (rowScale · columnScale)) + bias</c>: the correction exact in 32-bit
/// integers, each float operation rounded once (no fused multiply-add), so that vector and scalar kernels store the
/// same bits.
/// </summary>
internal static unsafe class Int8Epilogue
{
    /// <summary>Stores 8 columns of row <paramref name="row"/> of a tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<int> sums, Int8Tile tile, int row, int column, float* c)
    {
        var scales = Vector256.Create(tile.RowScales[row]) * Vector256.Load(tile.ColumnScales + column);
        var corrections = Vector256.Create(tile.ZeroPoints[row]) * Vector256.Load(tile.ColumnSums + column);
        var values = Vector256.ConvertToSingle(sums - corrections) * scales;
        if (tile.Bias != null) values += Vector256.Load(tile.Bias + column);
        values.Store(c);
    }

    /// <summary>One element: column <paramref name="column"/> of row <paramref name="row"/> of a tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Value(int sum, Int8Tile tile, int row, int column)
    {
        var value = (float)(sum - tile.ZeroPoints[row] * tile.ColumnSums[column]) * (tile.RowScales[row] * tile.ColumnScales[column]);
        return tile.Bias == null ? value : value + tile.Bias[column];
    }
}
