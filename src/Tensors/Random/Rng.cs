using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// A seeded random source (xoshiro256**) for initialisation and shuffling, plus counter-based streams for dropout:
/// a stream key fixes every element's draw by its index alone, so masks are identical whatever the thread count and
/// can be regenerated in the backward pass instead of stored.
/// </summary>
public sealed class Rng
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const float UnitScale = 1f / (1 << 24);

    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose whole sequence is fixed by <paramref name="seed"/>.</summary>
    public Rng(ulong seed) => Reseed(seed);

    /// <summary>
    /// Restarts the sequence as a new generator seeded with <paramref name="seed"/> would (objects that hold this
    /// generator, such as a model's dropout layers, then draw as if freshly built).
    /// </summary>
    public void Reseed(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * UnitScale;

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>A standard normal draw (Box–Muller, computed in double).</summary>
    public float NextNormal()
    {
        var u1 = ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53)); // (0, 1]
        var u2 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    /// <summary>Fills <paramref name="values"/> with draws from N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public void FillNormal(Span<float> values, float mean, float std)
    {
        for (var i = 0; i < values.Length; i++) values[i] = mean + std * NextNormal();
    }

    /// <summary>Fills <paramref name="values"/> with uniform draws from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public void FillUniform(Span<float> values, float low, float high)
    {
        for (var i = 0; i < values.Length; i++) values[i] = low + (high - low) * NextFloat();
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A fresh key for a counter-based stream (see <see cref="UniformAt"/>).</summary>
    public ulong NextStreamKey() => NextUInt64();

    /// <summary>The uniform [0, 1) draw number <paramref name="index"/> of the stream <paramref name="key"/>.</summary>
    public static float UniformAt(ulong key, long index) => BitsAt(key, index) * UnitScale;

    /// <summary>Draw <paramref name="index"/> of stream <paramref name="key"/> as 24 random bits (UniformAt · 2²⁴).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BitsAt(ulong key, long index) => Mix(key + (ulong)(index + 1) * Golden) >> 40;

    /// <summary><see cref="BitsAt(ulong, long)"/> for four consecutive indices starting at <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ulong> FourBitsAt(ulong key, long index)
    {
        var counters = Vector256.Create((ulong)index + 1) + Vector256.Create(0UL, 1UL, 2UL, 3UL);
        var z = Vector256.Create(key) + counters * Vector256.Create(Golden);
        z = (z ^ Vector256.ShiftRightLogical(z, 30)) * Vector256.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ Vector256.ShiftRightLogical(z, 27)) * Vector256.Create(0x94D049BB133111EBUL);
        return Vector256.ShiftRightLogical(z ^ Vector256.ShiftRightLogical(z, 31), 40);
    }

    private static ulong SplitMix(ref ulong state)
    {
        state += Golden;
        return Mix(state);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
