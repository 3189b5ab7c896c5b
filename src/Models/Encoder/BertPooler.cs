using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>BERT's pooler: <c>tanh(dense(hidden[:, 0]))</c>, parameters <c>pooler.dense.weight</c> and <c>.bias</c>.</summary>
public sealed class BertPooler
{
    private readonly ComputeBackend _backend;
    private readonly DeviceBuffer _cls;
    private readonly DenseLayer _dense;

    /// <summary>Creates a zero pooler of width <paramref name="hiddenSize"/>.</summary>
    /// <param name="hiddenSize">C.</param>
    /// <param name="backend">Where the pooler computes; null for the managed engine.</param>
    public BertPooler(int hiddenSize, ComputeBackend? backend = null)
    {
        _backend = backend ?? Execution.Managed.ManagedBackend.Instance;
        _cls = _backend.CreateBuffer();
        _dense = new DenseLayer("pooler.dense", hiddenSize, hiddenSize, ActivationKind.Tanh, _backend);
    }

    /// <summary>The dense layer (C → C) before the tanh.</summary>
    internal DenseLayer Dense => _dense;

    /// <summary>The dense weight and bias.</summary>
    public IEnumerable<Parameter> Parameters => _dense.Parameters;

    /// <summary>Pools hidden states (B, T, C) into (B, C) on the backend, owned by the pooler.</summary>
    internal DeviceTensor Forward(DeviceTensor hidden, bool training)
    {
        var cls = _cls.Get(hidden.Size(0), hidden.Size(2));
        _backend.FirstToken(hidden, cls);
        return _dense.Forward(cls, training);
    }

    /// <summary>
    /// The inference forward of hidden states (B, T, C) into <paramref name="output"/> (B, C), the first tokens gathered
    /// in <paramref name="cls"/> (B, C): it changes nothing in the pooler, so threads may run it at once.
    /// </summary>
    internal void Infer(DeviceTensor hidden, DeviceTensor cls, DeviceTensor output)
    {
        _backend.FirstToken(hidden, cls);
        _dense.Infer(cls, output);
    }

    /// <summary>Adds the gradient of the pooled output (B, C) into the parameters and into dHidden (B, T, C).</summary>
    internal void Backward(DeviceTensor dPooled, DeviceTensor dHidden) => _backend.FirstTokenBackward(_dense.Backward(dPooled), dHidden);
}
