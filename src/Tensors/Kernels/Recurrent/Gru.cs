using System.Numerics.Tensors;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// A gated recurrent unit layer over a padded batch in one direction, with PyTorch's <c>nn.GRU</c> equations and gate
/// order (r, z, n), from a zero state: <c>r = σ(W_ir x + b_ir + W_hr h + b_hr)</c>, <c>z = σ(W_iz x + b_iz + W_hz h + b_hz)</c>,
/// <c>n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))</c> (the hidden bias inside the reset product),
/// <c>h' = (1 − z) ⊙ n + z ⊙ h</c>. Backward is backpropagation through time.
/// </summary>
public static class Gru
{
    /// <summary>Gate blocks in the weights: r, z, n.</summary>
    public const int Gates = 3;

    /// <summary>
    /// y (B, T, H) = the hidden state after each position (0 at padding). Keeps for backward the activated gates
    /// r, z, n (B, T, 3H) and the candidate's hidden product <c>W_hn h + b_hn</c> (B, T, H).
    /// </summary>
    /// <param name="shape">The sizes and the direction.</param>
    /// <param name="lengths">Each sequence's length (B).</param>
    /// <param name="x">Inputs (B, T, I).</param>
    /// <param name="weights">The layer's weights in PyTorch's layout.</param>
    /// <param name="y">Hidden states (B, T, H).</param>
    /// <param name="gates">Activated gates (B, T, 3H), kept for backward.</param>
    /// <param name="hiddenCandidates">W_hn h + b_hn at each position (B, T, H), kept for backward.</param>
    /// <param name="workspace">Scratch buffers.</param>
    public static void Forward(RecurrentShape shape, ReadOnlySpan<int> lengths, ReadOnlySpan<float> x, RecurrentWeights weights,
        Span<float> y, Span<float> gates, Span<float> hiddenCandidates, RecurrentWorkspace workspace)
    {
        RecurrentSteps.CheckForward(shape, Gates, lengths, x, weights, y, gates);
        Check.Length(hiddenCandidates, shape.OutputLength, nameof(hiddenCandidates));
        var (batch, steps, hidden) = (shape.Batch, shape.Steps, shape.HiddenSize);
        var width = Gates * hidden;
        Linear.Forward(x, weights.Input, weights.InputBias, gates, batch * steps, shape.InputSize, width); // (BT, 3H) input parts
        var h = workspace.State.Get(batch, hidden).Span;       // (B, H)
        var step = workspace.StepGates.Get(batch, width).Span; // (B, 3H)
        h.Clear();
        y.Clear();
        hiddenCandidates.Clear();
        var longest = RecurrentShape.LongestOf(lengths);
        for (var s = 0; s < longest; s++)
        {
            Linear.Forward(h, weights.Hidden, weights.HiddenBias, step, batch, hidden, width); // (B, 3H) hidden parts
            for (var b = 0; b < batch; b++)
            {
                if (s >= lengths[b]) continue;
                var at = b * steps + shape.Position(s, lengths[b]);
                var g = gates.Slice(at * width, width);
                var hh = step.Slice(b * width, width);
                var rz = g[..(2 * hidden)];
                TensorPrimitives.Add(rz, hh[..(2 * hidden)], rz);
                TensorPrimitives.Sigmoid(rz, rz);
                var candidate = hh.Slice(2 * hidden, hidden);
                candidate.CopyTo(hiddenCandidates.Slice(at * hidden, hidden));
                var n = g.Slice(2 * hidden, hidden);
                TensorPrimitives.FusedMultiplyAdd(g[..hidden], candidate, n, n); // n = in + r ⊙ (W_hn h + b_hn)
                TensorPrimitives.Tanh(n, n);
                var hb = h.Slice(b * hidden, hidden);
                TensorPrimitives.Subtract(hb, n, hb);                                  // h − n
                TensorPrimitives.FusedMultiplyAdd(g.Slice(hidden, hidden), hb, n, hb); // h' = n + z ⊙ (h − n) = (1 − z) ⊙ n + z ⊙ h
                hb.CopyTo(y.Slice(at * hidden, hidden));
            }
        }
        RecurrentSteps.ClearPadding(shape, lengths, gates, width);
    }

    /// <summary>
    /// Backpropagation through time from dy (B, T, H), the gradient of every hidden state (a final state's gradient
    /// goes at its last position). Adds to dx (B, T, I; empty to skip) and to the weight gradients.
    /// </summary>
    /// <param name="shape">The sizes and the direction of the forward.</param>
    /// <param name="lengths">Each sequence's length (B).</param>
    /// <param name="dy">Gradient of the hidden states (B, T, H).</param>
    /// <param name="x">The forward's inputs (B, T, I).</param>
    /// <param name="weights">The forward's weights.</param>
    /// <param name="y">The forward's hidden states (B, T, H).</param>
    /// <param name="gates">The forward's activated gates (B, T, 3H).</param>
    /// <param name="hiddenCandidates">The forward's W_hn h + b_hn (B, T, H).</param>
    /// <param name="dx">Gradient of the inputs (B, T, I), added to; empty to skip.</param>
    /// <param name="gradients">Weight gradients, added to.</param>
    /// <param name="workspace">Scratch buffers.</param>
    public static void Backward(RecurrentShape shape, ReadOnlySpan<int> lengths, ReadOnlySpan<float> dy, ReadOnlySpan<float> x,
        RecurrentWeights weights, ReadOnlySpan<float> y, ReadOnlySpan<float> gates, ReadOnlySpan<float> hiddenCandidates,
        Span<float> dx, RecurrentGradients gradients, RecurrentWorkspace workspace)
    {
        RecurrentSteps.CheckForward(shape, Gates, lengths, x, weights, y, gates);
        gradients.Check(shape, Gates);
        Check.Length(dy, shape.OutputLength, nameof(dy));
        Check.OptionalLength(dx, shape.InputLength, nameof(dx));
        var (batch, steps, hidden) = (shape.Batch, shape.Steps, shape.HiddenSize);
        var width = Gates * hidden;
        var previous = workspace.Previous.Get(batch, steps, hidden).Span; // (B, T, H) h before each position
        RecurrentSteps.GatherPrevious(shape, lengths, y, previous, hidden);
        var dInput = workspace.InputGateGradients.Get(batch, steps, width).Span;   // (B, T, 3H) of the input products
        var dHidden = workspace.HiddenGateGradients.Get(batch, steps, width).Span; // (B, T, 3H) of the hidden products
        var dh = workspace.State.Get(batch, hidden).Span;                          // (B, H) carried to the previous step
        var dStep = workspace.StepGates.Get(batch, width).Span;                    // (B, 3H)
        dInput.Clear();
        dHidden.Clear();
        dh.Clear();
        for (var s = RecurrentShape.LongestOf(lengths) - 1; s >= 0; s--)
        {
            dStep.Clear();
            for (var b = 0; b < batch; b++)
            {
                if (s >= lengths[b]) continue;
                var at = b * steps + shape.Position(s, lengths[b]);
                var g = gates.Slice(at * width, width);
                var di = dInput.Slice(at * width, width);
                var dhh = dStep.Slice(b * width, width);
                var dhb = dh.Slice(b * hidden, hidden);
                var dyb = dy.Slice(at * hidden, hidden);
                var hPrev = previous.Slice(at * hidden, hidden);
                var candidate = hiddenCandidates.Slice(at * hidden, hidden);
                for (var j = 0; j < hidden; j++)
                {
                    var (r, z, n) = (g[j], g[hidden + j], g[2 * hidden + j]);
                    var dOut = dyb[j] + dhb[j];
                    var dn = dOut * (1f - z) * (1f - n * n);
                    var dz = dOut * (hPrev[j] - n) * z * (1f - z);
                    var dr = dn * candidate[j] * r * (1f - r);
                    (di[j], di[hidden + j], di[2 * hidden + j]) = (dr, dz, dn);
                    (dhh[j], dhh[hidden + j], dhh[2 * hidden + j]) = (dr, dz, dn * r);
                    dhb[j] = dOut * z; // the direct path; the products' part is added below
                }
                dhh.CopyTo(dHidden.Slice(at * width, width));
            }
            Gemm.Multiply(dStep, weights.Hidden, dh, batch, hidden, width, accumulate: true); // (B, 3H) · (3H, H)
        }
        RecurrentSteps.AccumulateWeightGradients(shape, Gates, x, previous, dInput, dHidden, weights.Input, dx, gradients);
    }
}
