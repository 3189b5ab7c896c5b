using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Bench.Gpt;

/// <summary>
/// Times greedy generation with the key/value cache from random prompts, as bench/peers/torch_gpt2.py's loop with
/// past_key_values: the prompts in one pass, then one token per sequence per pass; new tokens of the whole batch per
/// second, median of 3 runs after a warm-up run. The weight matrices are prepared (packed) once before the runs, as
/// the peer's model is loaded once; each timed run makes its own empty cache over them.
/// </summary>
internal static class GptGenerate
{
    public static void Run(Arguments arguments)
    {
        var (batch, prompt, fresh) = (arguments.Int("--batch", 1), arguments.Int("--prompt", 32), arguments.Int("--new", 64));
        using var engine = EngineScope.Enter(arguments.Int("--threads", 2), GemmKernel.Auto); // this thread's degree
        var model = BenchModel.Create(arguments.Required("--config"));
        var v = model.Config.VocabSize;
        var rng = new Rng(7);
        var prompts = new int[batch * prompt]; // (B, P)
        for (var i = 0; i < prompts.Length; i++) prompts[i] = rng.NextInt(v);

        var prepared = model.CreateCache(batch);
        void Generate()
        {
            var cache = prepared.CreateSibling(batch);
            var logits = model.NextTokenLogits(prompts, cache); // (B, V)
            var next = new int[batch];
            for (var step = 0; step < fresh; step++)
            {
                for (var s = 0; s < batch; s++) next[s] = TensorPrimitives.IndexOfMax(logits.Span.Slice(s * v, v));
                logits = model.NextTokenLogits(next, cache);
            }
        }

        Generate();
        var times = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            Generate();
            times.Add(watch.Elapsed.TotalSeconds);
        }
        var median = times.Order().ElementAt(1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seconds={median:F4} tokens_per_second={batch * fresh / median:F1}"));
    }
}
