using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Elementwise activations, forward and backward, plus the fused <c>bias + activation</c> that follows a linear layer
/// (one pass over the memory instead of two forward, and the bias gradient summed in the same pass backward).
/// </summary>
public static unsafe class Activation
{
    private const int Lanes = 8;
    private const int WideLanes = 16;

    /// <summary>Row length a flat array is cut into so that it can be spread over the threads.</summary>
    private const int FlatRow = 4096;

    /// <summary>y = f(x) elementwise (y may alias x).</summary>
    public static void Forward(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y)
    {
        Check.Length(y, x.Length, nameof(y));
        fixed (float* px = x, py = y)
            DispatchFlat(kind, px, null, py, x.Length, forward: true);
    }

    /// <summary>dx = dy ⊙ f′(x) elementwise (dx may alias dy).</summary>
    public static void Backward(ActivationKind kind, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dx)
    {
        Check.Length(dy, x.Length, nameof(dy));
        Check.Length(dx, x.Length, nameof(dx));
        fixed (float* px = x, pdy = dy, pdx = dx)
            DispatchFlat(kind, px, pdy, pdx, x.Length, forward: false);
    }

    /// <summary>
    /// Fused forward after a bias-free product: pre (rows, c) += bias, then act = f(pre). <paramref name="pre"/> keeps
    /// the pre-activation for the backward pass.
    /// </summary>
    public static void BiasForward(
        ActivationKind kind, ReadOnlySpan<float> bias, Span<float> pre, Span<float> act, int rows)
    {
        Check.Length(pre, rows * bias.Length, nameof(pre));
        Check.Length(act, pre.Length, nameof(act));
        fixed (float* pb = bias, ppre = pre, pact = act)
            Dispatch(kind, new Pass(ppre, null, pact, pb, rows, bias.Length), forward: true, biasGradient: null);
    }

    /// <summary>Fused backward: dPre = dAct ⊙ f′(pre) (dPre may alias dAct) and dBias (c) += Σ_rows dPre.</summary>
    public static void BiasBackward(
        ActivationKind kind, ReadOnlySpan<float> dAct, ReadOnlySpan<float> pre, Span<float> dPre, Span<float> dBias, int rows)
    {
        Check.Length(pre, rows * dBias.Length, nameof(pre));
        Check.Length(dAct, pre.Length, nameof(dAct));
        Check.Length(dPre, pre.Length, nameof(dPre));
        var c = dBias.Length;
        var blocks = RowParallel.BlockCount(rows, c);
        var partials = ArrayPool<float>.Shared.Rent(blocks * c); // per row block: its Σ dPre
        try
        {
            Array.Clear(partials, 0, blocks * c);
            fixed (float* ppre = pre, pda = dAct, pdp = dPre, pp = partials)
                Dispatch(kind, new Pass(ppre, pda, pdp, null, rows, c), forward: false, biasGradient: pp);
            for (var block = 0; block < blocks; block++)
                TensorPrimitives.Add(dBias, partials.AsSpan(block * c, c), dBias);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partials);
        }
    }

    /// <summary>Pointers and shape of one elementwise pass; <c>Bias</c> (forward only) is added to x in place first.</summary>
    private readonly struct Pass(float* x, float* dy, float* y, float* bias, int rows, int columns)
    {
        public float* X { get; } = x;
        public float* Dy { get; } = dy;
        public float* Y { get; } = y;
        public float* Bias { get; } = bias;
        public int Rows { get; } = rows;
        public int Columns { get; } = columns;
    }

    /// <summary>A flat array as rows of <see cref="FlatRow"/> elements (spread over the threads) plus a shorter last row.</summary>
    private static void DispatchFlat(ActivationKind kind, float* x, float* dy, float* y, int length, bool forward)
    {
        var rows = length / FlatRow;
        if (rows > 0) Dispatch(kind, new Pass(x, dy, y, null, rows, FlatRow), forward, biasGradient: null);
        var done = rows * FlatRow;
        if (done < length)
            Dispatch(kind, new Pass(x + done, dy == null ? null : dy + done, y + done, null, 1, length - done), forward, biasGradient: null);
    }

    /// <param name="kind">The activation.</param>
    /// <param name="pass">Pointers and shape.</param>
    /// <param name="forward">Forward (value) or backward (derivative) pass.</param>
    /// <param name="biasGradient">Backward only, or null: (blocks, columns) per-row-block sums of the result.</param>
    private static void Dispatch(ActivationKind kind, Pass pass, bool forward, float* biasGradient)
    {
        switch (kind)
        {
            case ActivationKind.Gelu: Run<GeluErf>(pass, forward, biasGradient); break;
            case ActivationKind.GeluTanh: Run<GeluTanh>(pass, forward, biasGradient); break;
            case ActivationKind.Relu: Run<Relu>(pass, forward, biasGradient); break;
            case ActivationKind.Tanh: Run<TanhActivation>(pass, forward, biasGradient); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    private static void Run<TAct>(Pass pass, bool forward, float* biasGradient) where TAct : struct, IActivation =>
        RowParallel.For(pass.Rows, pass.Columns, (block, start, end) =>
        {
            var sums = biasGradient == null ? null : biasGradient + (long)block * pass.Columns;
            for (var r = start; r < end; r++)
            {
                var offset = (long)r * pass.Columns;
                if (forward) ForwardRow<TAct>(pass.X + offset, pass.Y + offset, pass.Bias, pass.Columns);
                else BackwardRow<TAct>(pass.X + offset, pass.Dy + offset, pass.Y + offset, sums, pass.Columns);
            }
        });

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRow<TAct>(float* x, float* y, float* bias, int n) where TAct : struct, IActivation
    {
        var i = 0;
        if (TAct.HasWideValue && Vector512.IsHardwareAccelerated)
        {
            for (; i + WideLanes <= n; i += WideLanes)
            {
                var v = Vector512.Load(x + i);
                if (bias != null)
                {
                    v += Vector512.Load(bias + i);
                    v.Store(x + i);
                }
                TAct.WideValue(v).Store(y + i);
            }
        }
        for (; i < n; i += Lanes)
        {
            var count = Math.Min(Lanes, n - i);
            var v = Tail.Load(x + i, count, 0f);
            if (bias != null)
            {
                v += Tail.Load(bias + i, count, 0f);
                Tail.Store(v, x + i, count);
            }
            Tail.Store(TAct.Value(v), y + i, count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRow<TAct>(float* x, float* dy, float* dx, float* sums, int n) where TAct : struct, IActivation
    {
        for (var i = 0; i < n; i += Lanes)
        {
            var count = Math.Min(Lanes, n - i);
            var d = Tail.Load(dy + i, count, 0f) * TAct.Derivative(Tail.Load(x + i, count, 0f));
            Tail.Store(d, dx + i, count);
            if (sums != null) Tail.Store(Tail.Load(sums + i, count, 0f) + d, sums + i, count);
        }
    }
}
