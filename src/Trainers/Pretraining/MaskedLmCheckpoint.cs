using MLNet.Transformers.Models;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>
/// What a pretraining checkpoint saves: the masked-LM's parameters plus a freshly initialised BERT pooler
/// (<c>bert.pooler.dense.*</c>, normal(0, <c>initializer_range</c>) weights, zero bias), as Google's BERT
/// checkpoints carry one. Loaders that build a pooler (the featurizer's <see cref="BertModel"/>, sequence
/// classifiers) then find every tensor, and Hugging Face's <c>BertForMaskedLM</c> ignores the pooler.
/// </summary>
internal sealed class MaskedLmCheckpoint : IPretrainedModel
{
    private MaskedLmCheckpoint(BertConfig config, IReadOnlyList<Parameter> parameters) => (Config, Parameters) = (config, parameters);

    public BertConfig Config { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The model's parameters and a pooler initialised from <paramref name="seed"/>.</summary>
    public static MaskedLmCheckpoint Of(BertForMaskedLM model, ulong seed)
    {
        var pooler = new BertPooler(model.Config.HiddenSize);
        var rng = new Rng(seed);
        var prefix = PretrainedWeights.BasePrefix(model.Config.Architecture);
        var poolerParameters = pooler.Parameters.Select(p => p.WithName(prefix + p.Name)).ToList();
        foreach (var parameter in poolerParameters.Where(p => p.Value.Rank == 2))
            rng.FillNormal(parameter.Value.Span, 0f, (float)model.Config.InitializerRange);
        return new MaskedLmCheckpoint(model.Config, [.. model.Parameters, .. poolerParameters]);
    }
}
