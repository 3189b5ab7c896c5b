namespace MLNet.Transformers.Tensors;

/// <summary>What the LSTM and GRU kernels share: moving states between positions and the weight gradients at the end of backpropagation through time.</summary>
internal static class RecurrentSteps
{
    /// <summary>
    /// previous (B, T, W)[b, p] = states[b, the position read one step before p], zero at each sequence's first step and
    /// at padding: the state each position started from.
    /// </summary>
    public static void GatherPrevious(RecurrentShape shape, ReadOnlySpan<int> lengths, ReadOnlySpan<float> states, Span<float> previous, int width)
    {
        previous.Clear();
        for (var b = 0; b < shape.Batch; b++)
        {
            var row = b * shape.Steps;
            for (var p = 0; p < lengths[b]; p++)
            {
                var q = shape.Previous(p, lengths[b]);
                if (q >= 0) states.Slice((row + q) * width, width).CopyTo(previous.Slice((row + p) * width, width));
            }
        }
    }

    /// <summary>Zeroes the positions past each sequence's length of a (B, T, W) tensor.</summary>
    public static void ClearPadding(RecurrentShape shape, ReadOnlySpan<int> lengths, Span<float> values, int width)
    {
        for (var b = 0; b < shape.Batch; b++)
            values.Slice((b * shape.Steps + lengths[b]) * width, (shape.Steps - lengths[b]) * width).Clear();
    }

    /// <summary>
    /// The gradients every gate layout shares once the per-position gate gradients are known (zero at padding):
    /// dx += dInputGates · W_ih, dW_ih += dInputGatesᵀ · x, db_ih += Σ dInputGates, dW_hh += dHiddenGatesᵀ · previous,
    /// db_hh += Σ dHiddenGates. Each is one product over all B·T positions.
    /// </summary>
    public static void AccumulateWeightGradients(RecurrentShape shape, int gates, ReadOnlySpan<float> x, ReadOnlySpan<float> previous,
        ReadOnlySpan<float> dInputGates, ReadOnlySpan<float> dHiddenGates, ReadOnlySpan<float> inputWeight, Span<float> dx, RecurrentGradients gradients)
    {
        var (rows, width, inputs, hidden) = (shape.Batch * shape.Steps, gates * shape.HiddenSize, shape.InputSize, shape.HiddenSize);
        if (!dx.IsEmpty) Gemm.Multiply(dInputGates, inputWeight, dx, rows, inputs, width, accumulate: true);               // (BT, GH) · (GH, I)
        Gemm.Multiply(dInputGates, x, gradients.Input, width, inputs, rows, transposeA: true, accumulate: true);           // (GH, BT) · (BT, I)
        Gemm.Multiply(dHiddenGates, previous, gradients.Hidden, width, hidden, rows, transposeA: true, accumulate: true);  // (GH, BT) · (BT, H)
        Bias.AccumulateColumnSums(dInputGates, gradients.InputBias, rows);
        Bias.AccumulateColumnSums(dHiddenGates, gradients.HiddenBias, rows);
    }

    /// <summary>Checks the arguments every recurrent forward shares.</summary>
    public static void CheckForward(RecurrentShape shape, int gates, ReadOnlySpan<int> lengths, ReadOnlySpan<float> x,
        RecurrentWeights weights, ReadOnlySpan<float> y, ReadOnlySpan<float> gateCache)
    {
        shape.CheckLengths(lengths);
        weights.Check(shape, gates);
        Check.Length(x, shape.InputLength, nameof(x));
        Check.Length(y, shape.OutputLength, nameof(y));
        Check.Length(gateCache, shape.OutputLength * gates, "gates");
    }
}
