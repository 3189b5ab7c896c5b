using System.Diagnostics;
using System.Globalization;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Bench.Gpt;

/// <summary>
/// Times causal-LM training steps (forward, shifted cross-entropy, backward, AdamW) of a configuration on a random
/// batch without dropout, as bench/peers/torch_gpt2.py does in PyTorch: median seconds per step, tokens per second.
/// </summary>
internal static class GptStep
{
    public static void Run(Arguments arguments)
    {
        var (batch, tokens, steps) = (arguments.Int("--batch", 8), arguments.Int("--tokens", 256), arguments.Int("--steps", 5));
        using var engine = EngineScope.Enter(arguments.Int("--threads", 2), GemmKernel.Auto); // this thread's degree
        var model = BenchModel.Create(arguments.Required("--config"));
        var optimizer = new AdamW(model.Parameters, new AdamWOptions { WeightDecay = 0.01f });
        var rng = new Rng(7);
        var ids = new int[batch * tokens];
        for (var i = 0; i < ids.Length; i++) ids[i] = rng.NextInt(model.Config.VocabSize);
        var times = new List<double>();
        for (var step = 0; step <= steps; step++)
        {
            var watch = Stopwatch.StartNew();
            model.ZeroGradients();
            model.ForwardBackward(ids, batch, ids);
            optimizer.Step(1e-4f);
            if (step > 0) times.Add(watch.Elapsed.TotalSeconds); // the first step warms up
        }
        var median = times.Order().ElementAt(times.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step_seconds={median:F4} tokens_per_second={batch * tokens / median:F1}"));
    }
}
