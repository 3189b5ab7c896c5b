using System.Diagnostics;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Bench.Pretrain;

/// <summary>
/// Times masked-LM training steps (forward, backward, AdamW) of a configuration on random batches with 15 % of the
/// tokens labelled and no dropout, as bench/peers/torch_mlm.py does in PyTorch: median seconds per step, tokens per second.
/// </summary>
internal static class PretrainStep
{
    private const int Specials = 5;

    public static void Run(Arguments arguments)
    {
        var config = BertConfig.Load(arguments.Required("--config"));
        // The PyTorch reference model has no dropout: compare like with like.
        (config.HiddenDropoutProb, config.AttentionProbsDropoutProb) = (0, 0);
        var (batch, tokens, steps) = (arguments.Int("--batch", 32), arguments.Int("--tokens", 128), arguments.Int("--steps", 5));
        using var engine = EngineScope.Enter(arguments.Int("--threads", 2), GemmKernel.Auto); // this thread's degree
        var model = new BertForMaskedLM(config, 1);
        model.Initialize(1);
        var optimizer = new AdamW(model.Parameters, new AdamWOptions { WeightDecay = 0.01f });
        var rng = new Rng(7);
        var ids = new int[batch * tokens];
        var labels = new int[batch * tokens];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Specials + rng.NextInt(config.VocabSize - Specials);
            labels[i] = rng.NextFloat() < 0.15f ? ids[i] : MLNet.Transformers.Trainers.Pretraining.TokenMasker.IgnoreIndex;
        }
        var inputs = new EncoderBatch(batch, tokens, ids, [.. ids.Select(_ => 1)]);
        var times = new List<double>();
        for (var step = 0; step <= steps; step++)
        {
            var watch = Stopwatch.StartNew();
            model.ZeroGradients();
            model.ForwardBackward(inputs, labels);
            optimizer.Step(1e-4f);
            if (step > 0) times.Add(watch.Elapsed.TotalSeconds); // the first step warms up
        }
        var median = times.Order().ElementAt(times.Count / 2);
        Console.WriteLine($"step_seconds={median:F4} tokens_per_second={batch * tokens / median:F1}");
    }
}
