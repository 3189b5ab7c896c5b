using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Layers;

/// <summary>
/// The four weight matrices of an encoder layer prepared for inference products (a snapshot of their values): the
/// packed query/key/value projection, the attention output, the intermediate and the output dense.
/// </summary>
internal sealed record PackedLayerWeights(IInferenceWeight Qkv, IInferenceWeight AttentionOutput, IInferenceWeight Intermediate, IInferenceWeight Output)
{
    /// <summary>
    /// Packs (or, in <see cref="Precision.Int8"/>, quantises) the current weights of <paramref name="parameters"/> for
    /// layers of <paramref name="options"/>' sizes.
    /// </summary>
    public static PackedLayerWeights Pack(EncoderLayerParameters parameters, EncoderLayerOptions options, Precision precision)
    {
        var (c, f) = (options.HiddenSize, options.IntermediateSize);
        return new PackedLayerWeights(
            Prepare(parameters.QkvWeight.Value, c, 3 * c, precision),
            Prepare(parameters.AttentionOutputWeight.Value, c, c, precision),
            Prepare(parameters.IntermediateWeight.Value, c, f, precision),
            Prepare(parameters.OutputWeight.Value, f, c, precision));
    }

    private static IInferenceWeight Prepare(Tensor weight, int inFeatures, int outFeatures, Precision precision) => precision switch
    {
        Precision.Float32 => new PackedWeight(Linear.Pack(weight.Span, inFeatures, outFeatures)),
        Precision.Int8 => new QuantizedWeight(Linear.Quantize(weight.Span, inFeatures, outFeatures)),
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };
}
