using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Layers;

/// <summary>
/// The four weight matrices of an encoder layer packed for inference products (a snapshot of their values): the
/// packed query/key/value projection, the attention output, the intermediate and the output dense.
/// </summary>
internal sealed record PackedLayerWeights(PackedMatrix Qkv, PackedMatrix AttentionOutput, PackedMatrix Intermediate, PackedMatrix Output)
{
    /// <summary>Packs the current weights of <paramref name="parameters"/> for layers of <paramref name="options"/>' sizes.</summary>
    public static PackedLayerWeights Pack(EncoderLayerParameters parameters, EncoderLayerOptions options)
    {
        var (c, f) = (options.HiddenSize, options.IntermediateSize);
        return new PackedLayerWeights(
            Linear.Pack(parameters.QkvWeight.Value.Span, c, 3 * c),
            Linear.Pack(parameters.AttentionOutputWeight.Value.Span, c, c),
            Linear.Pack(parameters.IntermediateWeight.Value.Span, c, f),
            Linear.Pack(parameters.OutputWeight.Value.Span, f, c));
    }
}
