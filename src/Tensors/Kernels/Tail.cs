using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>Loads and stores the last partial eight-lane vector of a row, padding the missing lanes.</summary>
internal static unsafe class Tail
{
    /// <summary>Copies <paramref name="count"/> (&lt; 8) values into <paramref name="scratch"/>, padded with zeros.</summary>
    public static void Load(float* source, int count, float* scratch)
    {
        for (var j = 0; j < 8; j++) scratch[j] = source != null && j < count ? source[j] : 0f;
    }

    /// <summary>The first <paramref name="count"/> (&lt; 8) values at <paramref name="source"/>, the other lanes <paramref name="fill"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source, int count, float fill)
    {
        var scratch = stackalloc float[8];
        for (var j = 0; j < 8; j++) scratch[j] = j < count ? source[j] : fill;
        return Vector256.Load(scratch);
    }

    /// <summary>Stores the first <paramref name="count"/> lanes of <paramref name="value"/>.</summary>
    public static void Store(Vector256<float> value, float* destination, int count)
    {
        for (var j = 0; j < count; j++) destination[j] = value.GetElement(j);
    }
}
