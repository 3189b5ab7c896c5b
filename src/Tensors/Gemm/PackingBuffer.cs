using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// A cache-line-aligned buffer for packed panels on the pinned object heap, grown on demand: the per-thread scratch
/// (<see cref="ForA"/>, <see cref="ForB"/>, <see cref="ForQuantizedA"/>) reused by every later product on the same thread, so that steady-state
/// products allocate nothing, and collected with its thread; or the storage of one <see cref="PackedMatrix"/> or <see cref="QuantizedMatrix"/>.
/// </summary>
internal sealed unsafe class PackingBuffer
{
    private const int AlignmentFloats = 64 / sizeof(float);

    [ThreadStatic] private static PackingBuffer? _a;
    [ThreadStatic] private static PackingBuffer? _b;
    [ThreadStatic] private static PackingBuffer? _quantizedA;

    private float[] _storage = [];
    private float* _aligned;

    /// <summary>This thread's buffer for packed blocks of A.</summary>
    public static PackingBuffer ForA => _a ??= new PackingBuffer();

    /// <summary>This thread's buffer for packed blocks of B (read by the other threads of a parallel product).</summary>
    public static PackingBuffer ForB => _b ??= new PackingBuffer();

    /// <summary>This thread's buffer for the quantised, packed A of an 8-bit product (read by the other threads of a parallel product).</summary>
    public static PackingBuffer ForQuantizedA => _quantizedA ??= new PackingBuffer();

    /// <summary>A 64-byte-aligned area of at least <paramref name="floats"/> floats, valid until the next call on this buffer.</summary>
    public float* Get(long floats)
    {
        if (_storage.Length < floats + AlignmentFloats)
        {
            _storage = GC.AllocateUninitializedArray<float>(checked((int)floats + AlignmentFloats), pinned: true);
            var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
            _aligned = (float*)((address + 63) & ~(nint)63);
        }

        return _aligned;
    }
}
