using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Layers;

/// <summary>
/// The parameters of one encoder layer under their Hugging Face names relative to the layer. Query, key and value
/// are views into one packed (3C, C) matrix and (3C) bias, so the three projections run as a single product.
/// </summary>
public sealed class EncoderLayerParameters
{
    private readonly Dictionary<string, Parameter> _byName = new(StringComparer.Ordinal);
    private readonly List<Parameter> _inOrder = [];

    /// <summary>Allocates zero weights and unit LayerNorm scales for the given sizes.</summary>
    public EncoderLayerParameters(EncoderLayerOptions options)
    {
        var (c, f) = (options.HiddenSize, options.IntermediateSize);
        QkvWeight = Pair(new Tensor(3 * c, c));
        QkvBias = Pair(new Tensor(3 * c));
        string[] projections = ["query", "key", "value"];
        for (var i = 0; i < projections.Length; i++)
        {
            Add($"attention.self.{projections[i]}.weight", View(QkvWeight, i * c * c, c, c), weightDecay: true);
            Add($"attention.self.{projections[i]}.bias", View(QkvBias, i * c, c), weightDecay: false);
        }
        AttentionOutputWeight = Dense("attention.output.dense", c, c).Weight;
        AttentionOutputBias = _byName["attention.output.dense.bias"];
        AttentionNormWeight = Norm("attention.output.LayerNorm", c).Weight;
        AttentionNormBias = _byName["attention.output.LayerNorm.bias"];
        IntermediateWeight = Dense("intermediate.dense", f, c).Weight;
        IntermediateBias = _byName["intermediate.dense.bias"];
        OutputWeight = Dense("output.dense", c, f).Weight;
        OutputBias = _byName["output.dense.bias"];
        OutputNormWeight = Norm("output.LayerNorm", c).Weight;
        OutputNormBias = _byName["output.LayerNorm.bias"];
    }

    /// <summary>Every parameter in checkpoint order, named relative to the layer (e.g. <c>attention.self.query.weight</c>).</summary>
    public IReadOnlyList<Parameter> All => _inOrder;

    /// <summary>The parameter named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No parameter has that name; the message lists the valid names.</exception>
    public Parameter this[string name] => _byName.TryGetValue(name, out var parameter)
        ? parameter
        : throw new KeyNotFoundException(
            $"The encoder layer has no parameter '{name}' (it has: {string.Join(", ", _byName.Keys)}).");

    /// <summary>Packed query, key and value weights (3C, C), rows in that order.</summary>
    internal (Tensor Value, Tensor Gradient) QkvWeight { get; }

    /// <summary>Packed query, key and value biases (3C).</summary>
    internal (Tensor Value, Tensor Gradient) QkvBias { get; }

    internal Parameter AttentionOutputWeight { get; }
    internal Parameter AttentionOutputBias { get; }
    internal Parameter AttentionNormWeight { get; }
    internal Parameter AttentionNormBias { get; }
    internal Parameter IntermediateWeight { get; }
    internal Parameter IntermediateBias { get; }
    internal Parameter OutputWeight { get; }
    internal Parameter OutputBias { get; }
    internal Parameter OutputNormWeight { get; }
    internal Parameter OutputNormBias { get; }

    /// <summary>BERT initialisation: weights from N(0, <paramref name="initializerRange"/>²), biases 0, LayerNorm 1 and 0.</summary>
    public void Initialize(Rng rng, float initializerRange)
    {
        ArgumentNullException.ThrowIfNull(rng);
        foreach (var parameter in _inOrder)
        {
            if (parameter.WeightDecay) rng.FillNormal(parameter.Value.Span, 0f, initializerRange);
            else parameter.Value.Fill(0f);
        }
        AttentionNormWeight.Value.Fill(1f);
        OutputNormWeight.Value.Fill(1f);
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var parameter in _inOrder) parameter.ZeroGradient();
    }

    private static (Tensor Value, Tensor Gradient) Pair(Tensor value) => (value, new Tensor(value.Shape.ToArray()));

    private static (Tensor Value, Tensor Gradient) View((Tensor Value, Tensor Gradient) packed, int offset, params int[] shape) =>
        (Tensor.Wrap(packed.Value.Storage, packed.Value.Offset + offset, shape),
         Tensor.Wrap(packed.Gradient.Storage, packed.Gradient.Offset + offset, shape));

    private (Parameter Weight, Parameter Bias) Dense(string prefix, int outFeatures, int inFeatures) =>
        (Add($"{prefix}.weight", Pair(new Tensor(outFeatures, inFeatures)), weightDecay: true),
         Add($"{prefix}.bias", Pair(new Tensor(outFeatures)), weightDecay: false));

    private (Parameter Weight, Parameter Bias) Norm(string prefix, int width)
    {
        var weight = Add($"{prefix}.weight", Pair(new Tensor(width)), weightDecay: false);
        weight.Value.Fill(1f);
        return (weight, Add($"{prefix}.bias", Pair(new Tensor(width)), weightDecay: false));
    }

    private Parameter Add(string name, (Tensor Value, Tensor Gradient) tensors, bool weightDecay)
    {
        var parameter = new Parameter(name, tensors.Value, tensors.Gradient, weightDecay);
        _byName.Add(name, parameter);
        _inOrder.Add(parameter);
        return parameter;
    }
}
