using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>
/// A fully connected layer with an optional fused activation, <c>y = act(x · Wᵀ + b)</c>, parameters named
/// <c>{name}.weight</c> (out, in) and <c>{name}.bias</c> as in PyTorch, computed by its backend. Used by the pooler
/// and the heads.
/// </summary>
public sealed class DenseLayer
{
    private readonly ActivationKind? _activation;
    private readonly ComputeBackend _backend;
    private readonly DeviceParameter _weight, _bias;
    private readonly DeviceBuffer _pre, _output, _dPre, _dInput;
    private readonly HostExchange _hostInput, _hostOutput, _hostDOutput, _hostDInput;
    private DeviceTensor? _input;

    /// <summary>Creates a zero layer mapping <paramref name="inFeatures"/> to <paramref name="outFeatures"/>.</summary>
    /// <param name="name">The parameter name prefix.</param>
    /// <param name="inFeatures">Input width.</param>
    /// <param name="outFeatures">Output width.</param>
    /// <param name="activation">The activation after the bias, or null.</param>
    /// <param name="backend">Where the layer computes; null for the managed engine.</param>
    public DenseLayer(string name, int inFeatures, int outFeatures, ActivationKind? activation = null, ComputeBackend? backend = null)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _activation = activation;
        _backend = backend ?? ManagedBackend.Instance;
        Weight = ModelParameters.Create(name + ".weight", outFeatures, inFeatures);
        Bias = ModelParameters.Create(name + ".bias", outFeatures);
        (_weight, _bias) = (_backend.Bind(Weight), _backend.Bind(Bias));
        (_pre, _output, _dPre, _dInput) = (_backend.CreateBuffer(), _backend.CreateBuffer(), _backend.CreateBuffer(), _backend.CreateBuffer());
        (_hostInput, _hostOutput, _hostDOutput, _hostDInput) = (new(_backend), new(_backend), new(_backend), new(_backend));
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

    /// <summary>Weight and bias as the backend holds them.</summary>
    internal IReadOnlyList<DeviceParameter> Device => [_weight, _bias];

    /// <summary>y (rows, out) for x (rows, in); in training keeps x (which must stay unchanged) for the backward pass.</summary>
    public Tensor Forward(Tensor input, bool training) => _hostOutput.ToHost(Forward(_hostInput.ToDevice(input), training));

    /// <summary>The forward on the backend's tensors; the output is owned by the layer.</summary>
    internal DeviceTensor Forward(DeviceTensor input, bool training)
    {
        var rows = input.Length / InFeatures;
        var output = _output.Get(rows, OutFeatures);
        var pre = training && _activation is not null ? _pre.Get(rows, OutFeatures) : output; // (rows, out)
        Run(input, pre, output);
        _input = training ? input : null;
        return output;
    }

    /// <summary>
    /// The inference forward of x (rows, in) into <paramref name="output"/> (rows, out): it changes nothing in the
    /// layer, so threads may run it at once.
    /// </summary>
    internal void Infer(DeviceTensor input, DeviceTensor output) => Run(input, output, output);

    /// <summary>pre = x · Wᵀ (+ b without an activation), then output = act(pre + b); pre may be the output.</summary>
    private void Run(DeviceTensor input, DeviceTensor pre, DeviceTensor output)
    {
        if (_activation is { } kind)
        {
            _backend.Linear(input, _weight.Value, null, pre);
            _backend.BiasActivation(kind, _bias.Value, pre, output);
        }
        else
        {
            _backend.Linear(input, _weight.Value, _bias.Value, output);
        }
    }

    /// <summary>Adds the weight and bias gradients for dy (rows, out) and returns dx (rows, in), owned by the layer.</summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    public Tensor Backward(Tensor dOutput)
    {
        var dInput = Backward(_hostDOutput.ToDevice(dOutput));
        _backend.PullGradients(Device);
        return _hostDInput.ToHost(dInput);
    }

    /// <summary>The backward on the backend's tensors: adds into the device gradients; dx is owned by the layer.</summary>
    internal DeviceTensor Backward(DeviceTensor dOutput)
    {
        var input = _input ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var rows = input.Length / InFeatures;
        var dPre = dOutput;
        DeviceTensor? dBias = _bias.Gradient;
        if (_activation is { } kind)
        {
            dPre = _dPre.Get(rows, OutFeatures);
            _backend.BiasActivationBackward(kind, dOutput, _pre.Get(rows, OutFeatures), dPre, _bias.Gradient);
            dBias = null;
        }
        var dInput = _dInput.Get(rows, InFeatures);
        _backend.LinearBackward(dPre, input, _weight.Value, dInput, _weight.Gradient, dBias);
        return dInput;
    }
}
