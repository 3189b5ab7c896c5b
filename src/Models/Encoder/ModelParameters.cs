using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>Allocation and initialisation helpers for the parameters of embeddings, pooler and heads.</summary>
internal static class ModelParameters
{
    /// <summary>A zero parameter and its zero gradient; weight matrices decay, vectors do not.</summary>
    public static Parameter Create(string name, params int[] shape) =>
        new(name, new Tensor(shape), new Tensor(shape), weightDecay: shape.Length > 1);

    /// <summary>A LayerNorm's scale (ones) and shift (zeros) under <c>{prefix}.weight</c> and <c>{prefix}.bias</c>.</summary>
    public static (Parameter Weight, Parameter Bias) LayerNorm(string prefix, int width)
    {
        var weight = Create($"{prefix}.weight", width);
        weight.Value.Fill(1f);
        return (weight, Create($"{prefix}.bias", width));
    }

    /// <summary>BERT initialisation: matrices from N(0, range²), biases 0, LayerNorm scales 1.</summary>
    public static void Initialize(IEnumerable<Parameter> parameters, Rng rng, float initializerRange)
    {
        foreach (var parameter in parameters)
        {
            if (parameter.WeightDecay) rng.FillNormal(parameter.Value.Span, 0f, initializerRange);
            else parameter.Value.Fill(IsLayerNormScale(parameter.Name) ? 1f : 0f);
        }
    }

    /// <summary>Whether a name is a LayerNorm scale: BERT's <c>LayerNorm.weight</c> or <c>…layer_norm.weight</c> (DistilBERT, RoBERTa's LM head).</summary>
    private static bool IsLayerNormScale(string name) =>
        name.EndsWith("LayerNorm.weight", StringComparison.Ordinal) || name.EndsWith("layer_norm.weight", StringComparison.Ordinal);
}
