using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;

namespace MLNet.Transformers.Bench.Gpt;

/// <summary>The model the timings run: a config.json's GPT-2 without dropout (as the PyTorch peer), GPT-2's initialisation.</summary>
internal static class BenchModel
{
    public static Gpt2LMHeadModel Create(string configPath)
    {
        var config = Gpt2Config.Load(configPath);
        (config.ResidualDropout, config.EmbeddingDropout, config.AttentionDropout) = (0, 0, 0);
        var model = new Gpt2LMHeadModel(config, dropoutSeed: 1);
        model.Initialize(1);
        return model;
    }
}
