using System.Runtime.CompilerServices;

namespace MLNet.Transformers.Tensors;

/// <summary>Writes one row of a micro-kernel's register tile (two vectors) back to C.</summary>
internal static unsafe class TileStore<TSimd, TVector>
    where TSimd : struct, ISimd<TVector>
    where TVector : struct
{
    /// <summary>Stores <c>left, right</c> at <paramref name="row"/>, added to what is there when <paramref name="accumulate"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Row(TVector left, TVector right, float* row, bool accumulate)
    {
        var w = TSimd.Width;
        if (accumulate)
        {
            left = TSimd.Add(TSimd.Load(row), left);
            right = TSimd.Add(TSimd.Load(row + w), right);
        }

        TSimd.Store(left, row);
        TSimd.Store(right, row + w);
    }
}
