using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>
/// A fully connected layer with an optional fused activation, <c>y = act(x · Wᵀ + b)</c>, parameters named
/// <c>{name}.weight</c> (out, in) and <c>{name}.bias</c> as in PyTorch. Used by the pooler and the heads.
/// </summary>
public sealed class DenseLayer
{
    private readonly ActivationKind? _activation;
    private readonly TensorBuffer _pre = new(), _output = new(), _dPre = new(), _dInput = new();
    private Tensor? _input;

    /// <summary>Creates a zero layer mapping <paramref name="inFeatures"/> to <paramref name="outFeatures"/>.</summary>
    public DenseLayer(string name, int inFeatures, int outFeatures, ActivationKind? activation = null)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _activation = activation;
        Weight = ModelParameters.Create(name + ".weight", outFeatures, inFeatures);
        Bias = ModelParameters.Create(name + ".bias", outFeatures);
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight (out, in).</summary>
    public Parameter Weight { get; }

    /// <summary>The bias (out).</summary>
    public Parameter Bias { get; }

    /// <summary>The activation applied after the bias, or null for none.</summary>
    internal ActivationKind? ActivationFunction => _activation;

    /// <summary>Weight and bias.</summary>
    public IEnumerable<Parameter> Parameters => [Weight, Bias];

    /// <summary>y (rows, out) for x (rows, in); in training keeps x (which must stay unchanged) for the backward pass.</summary>
    public Tensor Forward(Tensor input, bool training)
    {
        var rows = input.Length / InFeatures;
        var output = _output.Get(rows, OutFeatures);
        var pre = training && _activation is not null ? _pre.Get(rows, OutFeatures).Span : output.Span; // (rows, out)
        Run(input.Span, pre, output.Span, rows);
        _input = training ? input : null;
        return output;
    }

    /// <summary>
    /// The inference forward of x (rows, in) into <paramref name="output"/> (rows, out): it changes nothing in the
    /// layer, so threads may run it at once.
    /// </summary>
    internal void Infer(ReadOnlySpan<float> input, Span<float> output, int rows) => Run(input, output, output, rows);

    /// <summary>pre = x · Wᵀ (+ b without an activation), then output = act(pre + b); pre may be the output.</summary>
    private void Run(ReadOnlySpan<float> input, Span<float> pre, Span<float> output, int rows)
    {
        if (_activation is { } kind)
        {
            Linear.Forward(input, Weight.Value.Span, [], pre, rows, InFeatures, OutFeatures);
            Activation.BiasForward(kind, Bias.Value.Span, pre, output, rows);
        }
        else
        {
            Linear.Forward(input, Weight.Value.Span, Bias.Value.Span, output, rows, InFeatures, OutFeatures);
        }
    }

    /// <summary>Adds the weight and bias gradients for dy (rows, out) and returns dx (rows, in), owned by the layer.</summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    public Tensor Backward(Tensor dOutput)
    {
        var input = _input ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var rows = input.Length / InFeatures;
        var dPre = dOutput.Span;
        var dBias = Bias.Gradient.Span;
        if (_activation is { } kind)
        {
            dPre = _dPre.Get(rows, OutFeatures).Span;
            Activation.BiasBackward(kind, dOutput.Span, _pre.Get(rows, OutFeatures).Span, dPre, dBias, rows);
            dBias = [];
        }
        var dInput = _dInput.Get(rows, InFeatures);
        Linear.Backward(dPre, input.Span, Weight.Value.Span, dInput.Span, Weight.Gradient.Span, dBias, rows, InFeatures, OutFeatures);
        return dInput;
    }
}
