using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>Moves the last partial vector of a row through an eight-lane scratch, zero-padded.</summary>
internal static unsafe class Tail
{
    public static void Load(float* source, int count, float* scratch)
    {
        for (var j = 0; j < 8; j++) scratch[j] = source != null && j < count ? source[j] : 0f;
    }

    public static void Store(Vector256<float> value, float* destination, int count)
    {
        for (var j = 0; j < count; j++) destination[j] = value.GetElement(j);
    }
}
