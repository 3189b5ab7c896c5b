using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// One row of attention scores through scale, padding and causal masks, softmax and (in training) dropout, in three
/// vector passes over the row while it sits in L1: scale + mask + max, exp + sum, normalise + dropout.
/// </summary>
internal static unsafe class AttentionSoftmax
{
    /// <summary>The score given to masked keys, as Hugging Face adds finfo(float32).min.</summary>
    public const float Masked = float.MinValue;

    private const int Lanes = 8;

    /// <summary>
    /// Turns the <paramref name="t"/> scores at <paramref name="row"/> into probabilities. Keys from
    /// <paramref name="visible"/> on (causal) get probability 0; keys whose <paramref name="keyMask"/> entry is 0 get
    /// the masked score. When <paramref name="dropped"/> is not null it receives the probabilities after dropout,
    /// element i of the row using mask index <paramref name="index"/> + i.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(
        float* row, float* keyMask, int visible, int t, float scale, float* dropped, DropoutMask dropout, long index)
    {
        // Pass 1: scaled and masked scores, and their maximum.
        var max = Vector256.Create(float.NegativeInfinity);
        for (var j = 0; j < visible; j += Lanes)
        {
            var count = Math.Min(Lanes, visible - j);
            var v = Tail.Load(row + j, count, 0f) * Vector256.Create(scale);
            if (keyMask != null)
                v = Vector256.ConditionalSelect(Vector256.Equals(Tail.Load(keyMask + j, count, 0f), Vector256<float>.Zero),
                    Vector256.Create(Masked), v);
            if (count < Lanes) v = Vector256.ConditionalSelect(Tail.LanesBelow(count), v, Vector256.Create(Masked));
            Tail.Store(v, row + j, count);
            max = Vector256.Max(max, v);
        }
        var rowMax = Vector256.Create(HorizontalMax(max));

        // Pass 2: exponentials and their sum.
        var sum = Vector256<float>.Zero;
        for (var j = 0; j < visible; j += Lanes)
        {
            var count = Math.Min(Lanes, visible - j);
            var e = VectorMath.Exp(Tail.Load(row + j, count, 0f) - rowMax);
            if (count < Lanes) e = Vector256.ConditionalSelect(Tail.LanesBelow(count), e, Vector256<float>.Zero);
            Tail.Store(e, row + j, count);
            sum += e;
        }

        // Pass 3: normalise, and apply dropout into the second buffer.
        var inverse = Vector256.Create(1f / Vector256.Sum(sum));
        for (var j = 0; j < visible; j += Lanes)
        {
            var count = Math.Min(Lanes, visible - j);
            var p = Tail.Load(row + j, count, 0f) * inverse;
            Tail.Store(p, row + j, count);
            if (dropped != null) Tail.Store(p * dropout.Factors(index + j), dropped + j, count);
        }
        new Span<float>(row + visible, t - visible).Clear();
        if (dropped != null) new Span<float>(dropped + visible, t - visible).Clear();
    }

    /// <summary>
    /// <see cref="Forward"/> without dropout on a row with room for whole vectors: <paramref name="padded"/> floats (a
    /// multiple of 8) at <paramref name="row"/>, and as many in <paramref name="keyMask"/> (0 from the last key on).
    /// The same values, the same sums in the same order, with no partial loads or stores: a short row costs a few
    /// vector operations instead of several scalar tails. Lanes from <paramref name="visible"/> on get probability 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardPadded(float* row, float* keyMask, int visible, int padded, float scale)
    {
        var lanes = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
        var max = Vector256.Create(float.NegativeInfinity);
        for (var j = 0; j < padded; j += Lanes)
        {
            var v = Vector256.Load(row + j) * Vector256.Create(scale);
            var hidden = Vector256.Equals(Vector256.Load(keyMask + j), Vector256<float>.Zero)
                | Vector256.GreaterThanOrEqual(lanes + Vector256.Create((float)j), Vector256.Create((float)visible));
            v = Vector256.ConditionalSelect(hidden, Vector256.Create(Masked), v);
            v.Store(row + j);
            max = Vector256.Max(max, v);
        }
        var rowMax = Vector256.Create(HorizontalMax(max));

        var sum = Vector256<float>.Zero;
        for (var j = 0; j < padded; j += Lanes)
        {
            var e = VectorMath.Exp(Vector256.Load(row + j) - rowMax);
            e = Vector256.ConditionalSelect(Vector256.LessThan(lanes + Vector256.Create((float)j), Vector256.Create((float)visible)), e, Vector256<float>.Zero);
            e.Store(row + j);
            sum += e;
        }

        var inverse = Vector256.Create(1f / Vector256.Sum(sum));
        for (var j = 0; j < padded; j += Lanes)
            (Vector256.Load(row + j) * inverse).Store(row + j);
    }

    /// <summary>The largest lane: halves, then pairs, then neighbours.</summary>
    private static float HorizontalMax(Vector256<float> v)
    {
        var m = Vector128.Max(v.GetLower(), v.GetUpper());
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }
}
