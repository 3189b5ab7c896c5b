using System.Numerics.Tensors;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// A long short-term memory layer over a padded batch in one direction, with PyTorch's <c>nn.LSTM</c> equations and
/// gate order (i, f, g, o), from a zero state:
/// <c>i = σ(W_ii x + b_ii + W_hi h + b_hi)</c>, <c>f = σ(…)</c>, <c>g = tanh(…)</c>, <c>o = σ(…)</c>,
/// <c>c' = f ⊙ c + i ⊙ g</c>, <c>h' = o ⊙ tanh(c')</c>. The input products of all positions run as one matrix product;
/// each step then multiplies the batch's states by <c>W_hh</c>. Backward is backpropagation through time.
/// </summary>
public static class Lstm
{
    /// <summary>Gate blocks in the weights: i, f, g, o.</summary>
    public const int Gates = 4;

    /// <summary>
    /// y (B, T, H) = the hidden state after each position (0 at padding). Keeps for backward the activated gates
    /// (B, T, 4H) and the cell states (B, T, H).
    /// </summary>
    /// <param name="shape">The sizes and the direction.</param>
    /// <param name="lengths">Each sequence's length (B).</param>
    /// <param name="x">Inputs (B, T, I).</param>
    /// <param name="weights">The layer's weights in PyTorch's layout.</param>
    /// <param name="y">Hidden states (B, T, H).</param>
    /// <param name="gates">Activated gates (B, T, 4H), kept for backward.</param>
    /// <param name="cells">Cell states (B, T, H), kept for backward.</param>
    /// <param name="workspace">Scratch buffers.</param>
    public static void Forward(RecurrentShape shape, ReadOnlySpan<int> lengths, ReadOnlySpan<float> x, RecurrentWeights weights,
        Span<float> y, Span<float> gates, Span<float> cells, RecurrentWorkspace workspace)
    {
        RecurrentSteps.CheckForward(shape, Gates, lengths, x, weights, y, gates);
        Check.Length(cells, shape.OutputLength, nameof(cells));
        var (batch, steps, hidden) = (shape.Batch, shape.Steps, shape.HiddenSize);
        var width = Gates * hidden;
        Linear.Forward(x, weights.Input, weights.InputBias, gates, batch * steps, shape.InputSize, width); // (BT, 4H) input parts
        var h = workspace.State.Get(batch, hidden).Span;       // (B, H)
        var c = workspace.Cell.Get(batch, hidden).Span;        // (B, H)
        var step = workspace.StepGates.Get(batch, width).Span; // (B, 4H)
        h.Clear();
        c.Clear();
        y.Clear();
        cells.Clear();
        var longest = RecurrentShape.LongestOf(lengths);
        for (var s = 0; s < longest; s++)
        {
            Linear.Forward(h, weights.Hidden, weights.HiddenBias, step, batch, hidden, width); // (B, 4H) hidden parts
            for (var b = 0; b < batch; b++)
            {
                if (s >= lengths[b]) continue;
                var at = b * steps + shape.Position(s, lengths[b]);
                var g = gates.Slice(at * width, width);
                TensorPrimitives.Add(g, step.Slice(b * width, width), g);
                Activate(g, hidden);
                var hb = h.Slice(b * hidden, hidden);
                var cb = c.Slice(b * hidden, hidden);
                TensorPrimitives.Multiply(g.Slice(hidden, hidden), cb, cb);                          // f ⊙ c
                TensorPrimitives.FusedMultiplyAdd(g[..hidden], g.Slice(2 * hidden, hidden), cb, cb); // + i ⊙ g
                TensorPrimitives.Tanh(cb, hb);
                TensorPrimitives.Multiply(g.Slice(3 * hidden, hidden), hb, hb);                      // h = o ⊙ tanh(c)
                cb.CopyTo(cells.Slice(at * hidden, hidden));
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
    /// <param name="gates">The forward's activated gates (B, T, 4H).</param>
    /// <param name="cells">The forward's cell states (B, T, H).</param>
    /// <param name="dx">Gradient of the inputs (B, T, I), added to; empty to skip.</param>
    /// <param name="gradients">Weight gradients, added to.</param>
    /// <param name="workspace">Scratch buffers.</param>
    public static void Backward(RecurrentShape shape, ReadOnlySpan<int> lengths, ReadOnlySpan<float> dy, ReadOnlySpan<float> x,
        RecurrentWeights weights, ReadOnlySpan<float> y, ReadOnlySpan<float> gates, ReadOnlySpan<float> cells,
        Span<float> dx, RecurrentGradients gradients, RecurrentWorkspace workspace)
    {
        RecurrentSteps.CheckForward(shape, Gates, lengths, x, weights, y, gates);
        gradients.Check(shape, Gates);
        Check.Length(dy, shape.OutputLength, nameof(dy));
        Check.OptionalLength(dx, shape.InputLength, nameof(dx));
        var (batch, steps, hidden) = (shape.Batch, shape.Steps, shape.HiddenSize);
        var width = Gates * hidden;
        var previous = workspace.Previous.Get(batch, steps, hidden).Span;         // (B, T, H) h before each position
        var previousCell = workspace.PreviousCell.Get(batch, steps, hidden).Span; // (B, T, H) c before each position
        RecurrentSteps.GatherPrevious(shape, lengths, y, previous, hidden);
        RecurrentSteps.GatherPrevious(shape, lengths, cells, previousCell, hidden);
        var dGates = workspace.InputGateGradients.Get(batch, steps, width).Span; // (B, T, 4H) pre-activation
        var dh = workspace.State.Get(batch, hidden).Span;                        // (B, H) carried to the previous step
        var dc = workspace.Cell.Get(batch, hidden).Span;                         // (B, H)
        var dStep = workspace.StepGates.Get(batch, width).Span;                  // (B, 4H)
        var tanhCell = workspace.Row.Get(hidden).Span;                           // (H) tanh(c) of one position
        dGates.Clear();
        dh.Clear();
        dc.Clear();
        for (var s = RecurrentShape.LongestOf(lengths) - 1; s >= 0; s--)
        {
            dStep.Clear();
            for (var b = 0; b < batch; b++)
            {
                if (s >= lengths[b]) continue;
                var at = b * steps + shape.Position(s, lengths[b]);
                var g = gates.Slice(at * width, width);
                var d = dStep.Slice(b * width, width);
                var dhb = dh.Slice(b * hidden, hidden);
                var dcb = dc.Slice(b * hidden, hidden);
                var dyb = dy.Slice(at * hidden, hidden);
                var cb = cells.Slice(at * hidden, hidden);
                var cPrev = previousCell.Slice(at * hidden, hidden);
                TensorPrimitives.Tanh(cb, tanhCell);
                for (var j = 0; j < hidden; j++)
                {
                    var (i, f, gg, o) = (g[j], g[hidden + j], g[2 * hidden + j], g[3 * hidden + j]);
                    var dHidden = dyb[j] + dhb[j];
                    var tanhC = tanhCell[j];
                    var dCell = dcb[j] + dHidden * o * (1f - tanhC * tanhC);
                    d[j] = dCell * gg * i * (1f - i);
                    d[hidden + j] = dCell * cPrev[j] * f * (1f - f);
                    d[2 * hidden + j] = dCell * i * (1f - gg * gg);
                    d[3 * hidden + j] = dHidden * tanhC * o * (1f - o);
                    dcb[j] = dCell * f;
                }
                d.CopyTo(dGates.Slice(at * width, width));
            }
            Gemm.Multiply(dStep, weights.Hidden, dh, batch, hidden, width); // (B, 4H) · (4H, H); 0 for finished rows
        }
        RecurrentSteps.AccumulateWeightGradients(shape, Gates, x, previous, dGates, dGates, weights.Input, dx, gradients);
    }

    /// <summary>σ on i, f and o, tanh on g, in place on one position's pre-activations (4H).</summary>
    private static void Activate(Span<float> g, int hidden)
    {
        TensorPrimitives.Sigmoid(g[..(2 * hidden)], g[..(2 * hidden)]);
        TensorPrimitives.Tanh(g.Slice(2 * hidden, hidden), g.Slice(2 * hidden, hidden));
        TensorPrimitives.Sigmoid(g.Slice(3 * hidden, hidden), g.Slice(3 * hidden, hidden));
    }
}
