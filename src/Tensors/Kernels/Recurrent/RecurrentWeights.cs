namespace MLNet.Transformers.Tensors;

/// <summary>
/// The weights of one recurrent layer in one direction, as PyTorch stores them (<c>weight_ih_l0</c>,
/// <c>weight_hh_l0</c>, <c>bias_ih_l0</c>, <c>bias_hh_l0</c>): G gate blocks of H rows stacked, G = 4 for an LSTM
/// (i, f, g, o) and 3 for a GRU (r, z, n).
/// </summary>
/// <param name="Input">weight_ih (G·H, I).</param>
/// <param name="Hidden">weight_hh (G·H, H).</param>
/// <param name="InputBias">bias_ih (G·H).</param>
/// <param name="HiddenBias">bias_hh (G·H).</param>
public readonly ref struct RecurrentWeights(ReadOnlySpan<float> Input, ReadOnlySpan<float> Hidden, ReadOnlySpan<float> InputBias, ReadOnlySpan<float> HiddenBias)
{
    /// <summary>weight_ih (G·H, I).</summary>
    public ReadOnlySpan<float> Input { get; } = Input;

    /// <summary>weight_hh (G·H, H).</summary>
    public ReadOnlySpan<float> Hidden { get; } = Hidden;

    /// <summary>bias_ih (G·H).</summary>
    public ReadOnlySpan<float> InputBias { get; } = InputBias;

    /// <summary>bias_hh (G·H).</summary>
    public ReadOnlySpan<float> HiddenBias { get; } = HiddenBias;

    internal void Check(RecurrentShape shape, int gates)
    {
        var rows = gates * shape.HiddenSize;
        Tensors.Check.Length(Input, rows * shape.InputSize, "weight_ih");
        Tensors.Check.Length(Hidden, rows * shape.HiddenSize, "weight_hh");
        Tensors.Check.Length(InputBias, rows, "bias_ih");
        Tensors.Check.Length(HiddenBias, rows, "bias_hh");
    }
}

/// <summary>The gradients of <see cref="RecurrentWeights"/>, same shapes; backward passes add to them.</summary>
/// <param name="Input">d weight_ih (G·H, I).</param>
/// <param name="Hidden">d weight_hh (G·H, H).</param>
/// <param name="InputBias">d bias_ih (G·H).</param>
/// <param name="HiddenBias">d bias_hh (G·H).</param>
public readonly ref struct RecurrentGradients(Span<float> Input, Span<float> Hidden, Span<float> InputBias, Span<float> HiddenBias)
{
    /// <summary>d weight_ih (G·H, I).</summary>
    public Span<float> Input { get; } = Input;

    /// <summary>d weight_hh (G·H, H).</summary>
    public Span<float> Hidden { get; } = Hidden;

    /// <summary>d bias_ih (G·H).</summary>
    public Span<float> InputBias { get; } = InputBias;

    /// <summary>d bias_hh (G·H).</summary>
    public Span<float> HiddenBias { get; } = HiddenBias;

    internal void Check(RecurrentShape shape, int gates)
    {
        var rows = gates * shape.HiddenSize;
        Tensors.Check.Length(Input, rows * shape.InputSize, "dWeight_ih");
        Tensors.Check.Length(Hidden, rows * shape.HiddenSize, "dWeight_hh");
        Tensors.Check.Length(InputBias, rows, "dBias_ih");
        Tensors.Check.Length(HiddenBias, rows, "dBias_hh");
    }
}
