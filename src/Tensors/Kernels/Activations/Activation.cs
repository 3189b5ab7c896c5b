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

    /// <summary>y = f(x) elementwise (y may alias x).</summary>
    public static void Forward(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y)
    {
        Check.Length(y, x.Length, nameof(y));
        fixed (float* px = x, py = y)
            Dispatch(kind, new Pass(px, null, py, null, 1, x.Length), forward: true);
    }

    /// <summary>dx = dy ⊙ f′(x) elementwise (dx may alias dy).</summary>
    public static void Backward(ActivationKind kind, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dx)
    {
        Check.Length(dy, x.Length, nameof(dy));
        Check.Length(dx, x.Length, nameof(dx));
        fixed (float* px = x, pdy = dy, pdx = dx)
            Dispatch(kind, new Pass(px, pdy, pdx, null, 1, x.Length), forward: false);
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
            Dispatch(kind, new Pass(ppre, null, pact, pb, rows, bias.Length), forward: true);
    }

    /// <summary>Fused backward: dPre = dAct ⊙ f′(pre) (dPre may alias dAct) and dBias (c) += Σ_rows dPre.</summary>
    public static void BiasBackward(
        ActivationKind kind, ReadOnlySpan<float> dAct, ReadOnlySpan<float> pre, Span<float> dPre, Span<float> dBias, int rows)
    {
        Check.Length(pre, rows * dBias.Length, nameof(pre));
        Check.Length(dAct, pre.Length, nameof(dAct));
        Check.Length(dPre, pre.Length, nameof(dPre));
        fixed (float* ppre = pre, pda = dAct, pdp = dPre)
            Dispatch(kind, new Pass(ppre, pda, pdp, null, rows, dBias.Length), forward: false);
        Bias.AccumulateColumnSums(dPre, dBias, rows);
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

    private static void Dispatch(ActivationKind kind, Pass pass, bool forward)
    {
        switch (kind)
        {
            case ActivationKind.Gelu: Run<GeluErf>(pass, forward); break;
            case ActivationKind.GeluTanh: Run<GeluTanh>(pass, forward); break;
            case ActivationKind.Relu: Run<Relu>(pass, forward); break;
            case ActivationKind.Tanh: Run<TanhActivation>(pass, forward); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    private static void Run<TAct>(Pass pass, bool forward) where TAct : struct, IActivation =>
        RowParallel.For(pass.Rows, pass.Columns, (_, start, end) =>
        {
            for (var r = start; r < end; r++)
            {
                var offset = (long)r * pass.Columns;
                if (forward) ForwardRow<TAct>(pass.X + offset, pass.Y + offset, pass.Bias, pass.Columns);
                else BackwardRow<TAct>(pass.X + offset, pass.Dy + offset, pass.Y + offset, pass.Columns);
            }
        });

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRow<TAct>(float* x, float* y, float* bias, int n) where TAct : struct, IActivation
    {
        var i = 0;
        for (; i <= n - Lanes; i += Lanes)
        {
            var v = Vector256.Load(x + i);
            if (bias != null)
            {
                v += Vector256.Load(bias + i);
                v.Store(x + i);
            }
            TAct.Value(v).Store(y + i);
        }
        if (i == n) return;
        var tail = stackalloc float[Lanes];
        var biasTail = stackalloc float[Lanes];
        Tail.Load(x + i, n - i, tail);
        Tail.Load(bias == null ? null : bias + i, n - i, biasTail);
        var t = Vector256.Load(tail) + Vector256.Load(biasTail);
        if (bias != null) Tail.Store(t, x + i, n - i);
        Tail.Store(TAct.Value(t), y + i, n - i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRow<TAct>(float* x, float* dy, float* dx, int n) where TAct : struct, IActivation
    {
        var i = 0;
        for (; i <= n - Lanes; i += Lanes)
            (Vector256.Load(dy + i) * TAct.Derivative(Vector256.Load(x + i))).Store(dx + i);
        if (i == n) return;
        var xt = stackalloc float[Lanes];
        var dyt = stackalloc float[Lanes];
        Tail.Load(x + i, n - i, xt);
        Tail.Load(dy + i, n - i, dyt);
        Tail.Store(Vector256.Load(dyt) * TAct.Derivative(Vector256.Load(xt)), dx + i, n - i);
    }
}
