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
            if (count < Lanes) v = Vector256.ConditionalSelect(LanesBelow(count), v, Vector256.Create(Masked));
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
            if (count < Lanes) e = Vector256.ConditionalSelect(LanesBelow(count), e, Vector256<float>.Zero);
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

    /// <summary>All-ones in lanes [0, count), zero above.</summary>
    private static Vector256<float> LanesBelow(int count) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(count)).AsSingle();

    private static float HorizontalMax(Vector256<float> v)
    {
        var max = v.GetElement(0);
        for (var k = 1; k < Lanes; k++) max = MathF.Max(max, v.GetElement(k));
        return max;
    }
}
