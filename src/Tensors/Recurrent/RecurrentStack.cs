namespace MLNet.Transformers.Tensors;

/// <summary>
/// Stacked, optionally bidirectional LSTM or GRU layers over padded batches, as PyTorch's <c>nn.LSTM</c> /
/// <c>nn.GRU</c> with <c>batch_first=True</c> over a <c>pack_padded_sequence</c>: each layer reads the previous one's
/// output, both directions side by side (forward then reverse). Parameters are named and laid out as PyTorch's
/// (<c>weight_ih_l0</c>, <c>weight_hh_l0</c>, <c>bias_ih_l0</c>, <c>bias_hh_l0</c>, <c>…_reverse</c>), so a
/// <c>state_dict</c> loads as it is. No dropout between layers.
/// </summary>
public sealed class RecurrentStack
{
    private readonly Parameter[][][] _weights; // [layer][direction][weight_ih, weight_hh, bias_ih, bias_hh]

    /// <summary>Creates zero weights; call <see cref="Initialize"/> or load them.</summary>
    /// <param name="cell">LSTM or GRU.</param>
    /// <param name="inputSize">Features of each input position (I).</param>
    /// <param name="hiddenSize">Features of each direction's state (H).</param>
    /// <param name="layers">Stacked layers.</param>
    /// <param name="bidirectional">Whether each layer also reads the sequence backwards.</param>
    /// <param name="prefix">Prepended to every parameter name (e.g. <c>rnn.</c>).</param>
    public RecurrentStack(RecurrentCell cell, int inputSize, int hiddenSize, int layers, bool bidirectional, string prefix = "")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        (Cell, InputSize, HiddenSize, Layers, Directions) = (cell, inputSize, hiddenSize, layers, bidirectional ? 2 : 1);
        var gates = GateCount * hiddenSize;
        _weights = [.. Enumerable.Range(0, layers).Select(l => Enumerable.Range(0, Directions).Select(d =>
        {
            var suffix = $"_l{l}{(d == 1 ? "_reverse" : "")}";
            var input = l == 0 ? inputSize : OutputSize;
            return new[]
            {
                Create($"{prefix}weight_ih{suffix}", gates, input), Create($"{prefix}weight_hh{suffix}", gates, hiddenSize),
                Create($"{prefix}bias_ih{suffix}", gates), Create($"{prefix}bias_hh{suffix}", gates),
            };
        }).ToArray())];
        Parameters = [.. _weights.SelectMany(layer => layer.SelectMany(direction => direction))];
    }

    /// <summary>LSTM or GRU.</summary>
    public RecurrentCell Cell { get; }

    /// <summary>Features of each input position (I).</summary>
    public int InputSize { get; }

    /// <summary>Features of each direction's state (H).</summary>
    public int HiddenSize { get; }

    /// <summary>Stacked layers.</summary>
    public int Layers { get; }

    /// <summary>1, or 2 when bidirectional.</summary>
    public int Directions { get; }

    /// <summary>Features of each output position: D·H.</summary>
    public int OutputSize => Directions * HiddenSize;

    /// <summary>Every weight, in PyTorch's order and names.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    private int GateCount => Cell == RecurrentCell.Lstm ? Lstm.Gates : Gru.Gates;

    /// <summary>PyTorch's initialisation: every weight and bias from U(−1/√H, 1/√H).</summary>
    public void Initialize(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var bound = 1f / MathF.Sqrt(HiddenSize);
        foreach (var p in Parameters) rng.FillUniform(p.Value.Span, -bound, bound);
    }

    /// <summary>Buffers for forwards (and backwards) of this stack; one per concurrent caller.</summary>
    public RecurrentActivations CreateActivations() => new(Layers, Directions);

    /// <summary>
    /// The last layer's output (B, T, D·H) of inputs x (B, T, I) whose sequence b holds <c>lengths[b]</c> positions
    /// (0 at padding), owned by <paramref name="activations"/> until its next forward, which also keeps what backward needs.
    /// </summary>
    /// <exception cref="ArgumentException">A shape or length does not fit.</exception>
    public Tensor Forward(Tensor x, int[] lengths, RecurrentActivations activations)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(activations);
        var (batch, steps) = (x.Size(0), x.Size(1));
        x.RequireShape("The recurrent input", batch, steps, InputSize);
        (activations.Input, activations.Lengths) = (x, lengths);
        var input = x;
        for (var l = 0; l < Layers; l++)
        {
            var output = activations.Outputs[l].Get(batch, steps, OutputSize); // (B, T, D·H)
            for (var d = 0; d < Directions; d++)
            {
                var shape = Shape(l, d, batch, steps);
                var states = activations.States[l][d].Get(batch, steps, HiddenSize);            // (B, T, H)
                var gates = activations.Gates[l][d].Get(batch, steps, GateCount * HiddenSize);   // (B, T, G·H)
                var extra = activations.Extras[l][d].Get(batch, steps, HiddenSize);             // (B, T, H)
                if (Cell == RecurrentCell.Lstm)
                    Lstm.Forward(shape, lengths, input.Span, WeightsOf(l, d), states.Span, gates.Span, extra.Span, activations.Workspace);
                else
                    Gru.Forward(shape, lengths, input.Span, WeightsOf(l, d), states.Span, gates.Span, extra.Span, activations.Workspace);
                Interleave(states.Span, output.Span, d, batch * steps);
            }
            input = output;
        }
        return input;
    }

    /// <summary>
    /// Backpropagation through time from the gradient of the last forward's output (B, T, D·H): adds to every
    /// parameter's gradient and returns the gradient of the input (B, T, I), owned by <paramref name="activations"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No forward ran on <paramref name="activations"/>.</exception>
    public Tensor Backward(Tensor dOutput, RecurrentActivations activations)
    {
        ArgumentNullException.ThrowIfNull(dOutput);
        ArgumentNullException.ThrowIfNull(activations);
        var x = activations.Input ?? throw new InvalidOperationException("Backward needs a preceding Forward on these activations.");
        var (batch, steps, lengths) = (x.Size(0), x.Size(1), activations.Lengths);
        dOutput.RequireShape("The output gradient", batch, steps, OutputSize);
        var upstream = dOutput;
        Tensor dInput = upstream;
        for (var l = Layers - 1; l >= 0; l--)
        {
            var input = l == 0 ? x : activations.Outputs[l - 1].Get(batch, steps, OutputSize);
            var buffer = l % 2 == Layers % 2 ? activations.InputGradient : activations.OutputGradient; // alternate: never the upstream's
            dInput = buffer.Get(batch, steps, input.Size(2));
            dInput.Fill(0f);
            for (var d = 0; d < Directions; d++)
            {
                var dStates = activations.DirectionGradients[d].Get(batch, steps, HiddenSize); // (B, T, H)
                Deinterleave(upstream.Span, dStates.Span, d, batch * steps);
                var shape = Shape(l, d, batch, steps);
                var (states, gates, extra) = (activations.States[l][d].Get(batch, steps, HiddenSize),
                    activations.Gates[l][d].Get(batch, steps, GateCount * HiddenSize), activations.Extras[l][d].Get(batch, steps, HiddenSize));
                if (Cell == RecurrentCell.Lstm)
                    Lstm.Backward(shape, lengths, dStates.Span, input.Span, WeightsOf(l, d), states.Span, gates.Span, extra.Span, dInput.Span, GradientsOf(l, d), activations.Workspace);
                else
                    Gru.Backward(shape, lengths, dStates.Span, input.Span, WeightsOf(l, d), states.Span, gates.Span, extra.Span, dInput.Span, GradientsOf(l, d), activations.Workspace);
            }
            upstream = dInput;
        }
        return dInput;
    }

    /// <summary>
    /// final (B, D·H) = the last layer's final states, PyTorch's <c>h_n[-D:]</c> side by side: the forward direction's
    /// state at each sequence's last position, the reverse direction's at its first (0 for an empty sequence).
    /// </summary>
    public void FinalStates(Tensor output, ReadOnlySpan<int> lengths, Span<float> final)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (batch, steps) = (output.Size(0), output.Size(1));
        Check.Length(final, batch * OutputSize, nameof(final));
        final.Clear();
        for (var b = 0; b < batch; b++)
        {
            if (lengths[b] == 0) continue;
            for (var d = 0; d < Directions; d++)
            {
                var at = b * steps + (d == 0 ? lengths[b] - 1 : 0);
                output.Span.Slice(at * OutputSize + d * HiddenSize, HiddenSize).CopyTo(final.Slice(b * OutputSize + d * HiddenSize, HiddenSize));
            }
        }
    }

    /// <summary>Adds dFinal (B, D·H), the gradient of <see cref="FinalStates"/>, to dOutput (B, T, D·H) at the positions it was read from.</summary>
    public void FinalStatesBackward(ReadOnlySpan<float> dFinal, ReadOnlySpan<int> lengths, Tensor dOutput)
    {
        ArgumentNullException.ThrowIfNull(dOutput);
        var (batch, steps) = (dOutput.Size(0), dOutput.Size(1));
        Check.Length(dFinal, batch * OutputSize, nameof(dFinal));
        for (var b = 0; b < batch; b++)
        {
            if (lengths[b] == 0) continue;
            for (var d = 0; d < Directions; d++)
            {
                var at = b * steps + (d == 0 ? lengths[b] - 1 : 0);
                var target = dOutput.Span.Slice(at * OutputSize + d * HiddenSize, HiddenSize);
                System.Numerics.Tensors.TensorPrimitives.Add(target, dFinal.Slice(b * OutputSize + d * HiddenSize, HiddenSize), target);
            }
        }
    }

    private RecurrentShape Shape(int layer, int direction, int batch, int steps) =>
        new(batch, steps, layer == 0 ? InputSize : OutputSize, HiddenSize, Reverse: direction == 1);

    private RecurrentWeights WeightsOf(int layer, int direction)
    {
        var w = _weights[layer][direction];
        return new(w[0].Value.Span, w[1].Value.Span, w[2].Value.Span, w[3].Value.Span);
    }

    private RecurrentGradients GradientsOf(int layer, int direction)
    {
        var w = _weights[layer][direction];
        return new(w[0].Gradient.Span, w[1].Gradient.Span, w[2].Gradient.Span, w[3].Gradient.Span);
    }

    /// <summary>Copies one direction's states (rows, H) into its half of the output rows (rows, D·H).</summary>
    private void Interleave(ReadOnlySpan<float> states, Span<float> output, int direction, int rows)
    {
        for (var r = 0; r < rows; r++)
            states.Slice(r * HiddenSize, HiddenSize).CopyTo(output.Slice(r * OutputSize + direction * HiddenSize, HiddenSize));
    }

    /// <summary>Copies one direction's half of the output gradient rows (rows, D·H) out (rows, H).</summary>
    private void Deinterleave(ReadOnlySpan<float> output, Span<float> states, int direction, int rows)
    {
        for (var r = 0; r < rows; r++)
            output.Slice(r * OutputSize + direction * HiddenSize, HiddenSize).CopyTo(states.Slice(r * HiddenSize, HiddenSize));
    }

    private static Parameter Create(string name, params int[] shape) =>
        new(name, new Tensor(shape), new Tensor(shape), weightDecay: shape.Length > 1);
}
