using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// The parameters of one GPT-2 block under their Hugging Face names relative to the block (<c>ln_1.weight</c>,
/// <c>attn.c_attn.weight</c>, ...), in checkpoint order. Fully connected weights are in Conv1D layout (in, out); the
/// query, key and value projections are one (C, 3C) matrix, as Hugging Face stores them.
/// </summary>
public sealed class Gpt2BlockParameters
{
    private readonly List<Parameter> _all = [];

    /// <summary>Allocates zero weights and unit LayerNorm scales for <paramref name="config"/>'s sizes.</summary>
    public Gpt2BlockParameters(Gpt2Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (c, f) = (config.HiddenSize, config.FeedForwardSize);
        (AttentionNormWeight, AttentionNormBias) = Norm("ln_1", c);
        (QkvWeight, QkvBias) = Dense("attn.c_attn", c, 3 * c);
        (AttentionOutputWeight, AttentionOutputBias) = Dense("attn.c_proj", c, c);
        (FeedForwardNormWeight, FeedForwardNormBias) = Norm("ln_2", c);
        (InnerWeight, InnerBias) = Dense("mlp.c_fc", c, f);
        (OutputWeight, OutputBias) = Dense("mlp.c_proj", f, c);
    }

    /// <summary>Every parameter in checkpoint order, named relative to the block.</summary>
    public IReadOnlyList<Parameter> All => _all;

    /// <summary><c>ln_1</c> scale and shift (C).</summary>
    internal Parameter AttentionNormWeight { get; }

    internal Parameter AttentionNormBias { get; }

    /// <summary><c>attn.c_attn</c>: (C, 3C) weight, query, key and value side by side in each row; (3C) bias.</summary>
    internal Parameter QkvWeight { get; }

    internal Parameter QkvBias { get; }

    /// <summary><c>attn.c_proj</c>: (C, C) weight, (C) bias.</summary>
    internal Parameter AttentionOutputWeight { get; }

    internal Parameter AttentionOutputBias { get; }

    /// <summary><c>ln_2</c> scale and shift (C).</summary>
    internal Parameter FeedForwardNormWeight { get; }

    internal Parameter FeedForwardNormBias { get; }

    /// <summary><c>mlp.c_fc</c>: (C, F) weight, (F) bias.</summary>
    internal Parameter InnerWeight { get; }

    internal Parameter InnerBias { get; }

    /// <summary><c>mlp.c_proj</c>: (F, C) weight, (C) bias.</summary>
    internal Parameter OutputWeight { get; }

    internal Parameter OutputBias { get; }

    private (Parameter Weight, Parameter Bias) Dense(string prefix, int inFeatures, int outFeatures) =>
        (Add(ModelParameters.Create($"{prefix}.weight", inFeatures, outFeatures)), Add(ModelParameters.Create($"{prefix}.bias", outFeatures)));

    private (Parameter Weight, Parameter Bias) Norm(string prefix, int width)
    {
        var (weight, bias) = ModelParameters.LayerNorm(prefix, width);
        return (Add(weight), Add(bias));
    }

    private Parameter Add(Parameter parameter)
    {
        _all.Add(parameter);
        return parameter;
    }
}
