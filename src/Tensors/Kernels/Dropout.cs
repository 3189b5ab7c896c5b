using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Inverted dropout: each element is zeroed with probability p and the survivors scaled by 1/(1 − p). The mask is
/// a pure function of the stream key and the element index (<see cref="Rng.UniformAt"/>), so the backward pass
/// regenerates it instead of storing it, and it does not depend on the thread count.
/// </summary>
public static unsafe class Dropout
{
    /// <summary>Elements per parallel work item (a multiple of the vector width).</summary>
    private const int Chunk = 4096;

    /// <summary>y = x ⊙ mask / (1 − p) (y may alias x). With p = 0 it copies.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1).</exception>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, float p, ulong key) => Apply(x, y, p, key);

    /// <summary>dx = dy ⊙ mask / (1 − p) with the same mask as the forward pass of the same key (dx may alias dy).</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, float p, ulong key) => Apply(dy, dx, p, key);

    /// <summary>Whether element <paramref name="index"/> survives in stream <paramref name="key"/>.</summary>
    public static bool Keeps(ulong key, long index, float p) => new DropoutMask(p, key).Keeps(index);

    private static void Apply(ReadOnlySpan<float> x, Span<float> y, float p, ulong key)
    {
        var mask = new DropoutMask(p, key);
        Check.Length(y, x.Length, nameof(y));
        if (p == 0f)
        {
            x.CopyTo(y);
            return;
        }
        var chunks = (x.Length + Chunk - 1) / Chunk;
        var length = x.Length;
        fixed (float* px = x, py = y)
        {
            float* xs = px, ys = py;
            RowParallel.For(chunks, Chunk, (_, start, end) =>
            {
                var last = Math.Min((long)end * Chunk, length);
                var i = (long)start * Chunk;
                for (; i <= last - 8; i += 8)
                    (Vector256.Load(xs + i) * mask.Factors(i)).Store(ys + i);
                for (; i < last; i++)
                    ys[i] = mask.Keeps(i) ? xs[i] * mask.Scale : 0f;
            });
        }
    }
}
