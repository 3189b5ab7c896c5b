using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>BERT's pooler: <c>tanh(dense(hidden[:, 0]))</c>, parameters <c>pooler.dense.weight</c> and <c>.bias</c>.</summary>
public sealed class BertPooler
{
    private readonly TensorBuffer _cls = new();
    private readonly DenseLayer _dense;

    /// <summary>Creates a zero pooler of width <paramref name="hiddenSize"/>.</summary>
    public BertPooler(int hiddenSize) => _dense = new DenseLayer("pooler.dense", hiddenSize, hiddenSize, ActivationKind.Tanh);

    /// <summary>The dense layer (C → C) before the tanh.</summary>
    internal DenseLayer Dense => _dense;

    /// <summary>The dense weight and bias.</summary>
    public IEnumerable<Parameter> Parameters => _dense.Parameters;

    /// <summary>Pools hidden states (B, T, C) into (B, C), owned by the pooler.</summary>
    public Tensor Forward(Tensor hidden, bool training)
    {
        var (b, t, c) = (hidden.Size(0), hidden.Size(1), hidden.Size(2));
        var cls = _cls.Get(b, c);
        Tensors.Pooling.ClsForward(hidden.Span, cls.Span, b, t);
        return _dense.Forward(cls, training);
    }

    /// <summary>
    /// The inference forward of hidden states (B, T, C) into <paramref name="output"/> (B, C), the first tokens gathered
    /// in <paramref name="cls"/> (B, C): it changes nothing in the pooler, so threads may run it at once.
    /// </summary>
    internal void Infer(Tensor hidden, Span<float> cls, Span<float> output)
    {
        var (b, t) = (hidden.Size(0), hidden.Size(1));
        Tensors.Pooling.ClsForward(hidden.Span, cls, b, t);
        _dense.Infer(cls, output, b);
    }

    /// <summary>Adds the gradient of the pooled output (B, C) into the parameters and into dHidden (B, T, C).</summary>
    public void Backward(Tensor dPooled, Tensor dHidden)
    {
        var dCls = _dense.Backward(dPooled);
        var (b, t, c) = (dHidden.Size(0), dHidden.Size(1), dHidden.Size(2));
        Tensors.Pooling.ClsBackward(dCls.Span, dHidden.Span, b, t);
    }
}
