using System.Diagnostics;
using System.Globalization;
using MLNet.Transformers.Bench.EngineLayer;
using MLNet.Transformers.Models.Layers;
using MLNet.Transformers.Tensors;

// One BERT-base encoder layer (hidden 768, 12 heads, FFN 3072, dropout 0.1): median seconds of an inference forward
// and of a training forward + backward. Prints "forward_seconds=X step_seconds=Y" as its last line.
var options = LayerBenchmarkOptions.Parse(args);
using var engine = EngineScope.Enter(options.Threads, GemmKernel.Auto); // the main thread's degree, for the rest of the run
var layer = new BertEncoderLayer(new EncoderLayerOptions(), new Rng(1));
layer.Parameters.Initialize(new Rng(2), initializerRange: 0.02f);
var c = layer.Options.HiddenSize;
var hidden = new Tensor(options.Batch, options.Tokens, c);
new Rng(3).FillNormal(hidden.Span, 0f, 1f);
var mask = new Tensor(options.Batch, options.Tokens);
mask.Fill(1f);
var upstream = new Tensor(options.Batch, options.Tokens, c);
new Rng(4).FillNormal(upstream.Span, 0f, 1f);

var forward = MedianSeconds(() => layer.Forward(hidden, mask, training: false));
var step = MedianSeconds(() =>
{
    layer.Forward(hidden, mask, training: true);
    layer.Backward(upstream);
});
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"forward_seconds={forward:F4} step_seconds={step:F4}"));

double MedianSeconds(Action action)
{
    for (var i = 0; i < options.WarmupRuns; i++) action();
    var seconds = new double[options.TimedRuns];
    for (var i = 0; i < seconds.Length; i++)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
    Array.Sort(seconds);
    return seconds[seconds.Length / 2];
}
