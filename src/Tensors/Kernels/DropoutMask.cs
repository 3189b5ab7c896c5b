using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// The keep/drop decisions of one dropout stream: element i survives when its 24 random bits
/// (<see cref="Rng.UniformAt"/> · 2²⁴) reach ⌈p · 2²⁴⌉, and a survivor is scaled by 1/(1 − p).
/// Scalar and vector lookups give the same decisions.
/// </summary>
internal readonly struct DropoutMask
{
    private const float BitsScale = 1 << 24;

    private readonly ulong _key;
    private readonly ulong _threshold;

    public DropoutMask(float p, ulong key)
    {
        if (p < 0f || p >= 1f) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        _key = key;
        _threshold = (ulong)MathF.Ceiling(p * BitsScale);
        Scale = 1f / (1f - p);
    }

    /// <summary>The factor applied to survivors.</summary>
    public float Scale { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Keeps(long index) => Rng.BitsAt(_key, index) >= _threshold;

    /// <summary>For the eight elements from <paramref name="index"/>: <see cref="Scale"/> where kept, 0 where dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Factors(long index)
    {
        var threshold = Vector256.Create(_threshold);
        var low = Vector256.GreaterThanOrEqual(Rng.FourBitsAt(_key, index), threshold);
        var high = Vector256.GreaterThanOrEqual(Rng.FourBitsAt(_key, index + 4), threshold);
        return Vector256.Create(Scale) & Vector256.Narrow(low, high).AsSingle();
    }
}
