using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Eight-lane loads and stores that also handle the last, partial vector of a row (missing lanes padded on load,
/// left untouched on store), so a kernel writes its arithmetic once for the body and the tail.
/// </summary>
internal static unsafe class Tail
{
    private const int Lanes = 8;

    /// <summary>The first <paramref name="count"/> (≤ 8) values at <paramref name="source"/>, the other lanes <paramref name="fill"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source, int count, float fill) =>
        count == Lanes ? Vector256.Load(source) : LoadPartial(source, count, fill);

    /// <summary>Stores the first <paramref name="count"/> (≤ 8) lanes of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, float* destination, int count)
    {
        if (count == Lanes) value.Store(destination);
        else StorePartial(value, destination, count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<float> LoadPartial(float* source, int count, float fill)
    {
        var scratch = stackalloc float[Lanes];
        for (var j = 0; j < Lanes; j++) scratch[j] = j < count ? source[j] : fill;
        return Vector256.Load(scratch);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StorePartial(Vector256<float> value, float* destination, int count)
    {
        for (var j = 0; j < count; j++) destination[j] = value.GetElement(j);
    }
}
