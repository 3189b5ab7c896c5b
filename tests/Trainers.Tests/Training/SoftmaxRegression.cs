using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Tests.Training;

/// <summary>
/// A small trainable model for loop tests: softmax regression with input dropout on synthetic separable data. Its
/// gradient is exact and cheap, and its dropout draws from the stream the loop reseeds, so resume tests see it.
/// </summary>
internal sealed class SoftmaxRegression : ITrainableModel
{
    public const int Features = 4, Classes = 3;

    private readonly float[][] _inputs;
    private readonly int[] _labels;
    private readonly float _dropout;
    private readonly Rng _rng = new(0);

    public SoftmaxRegression(int examples = 40, float dropout = 0.2f, ulong dataSeed = 1)
    {
        var data = new Rng(dataSeed);
        _inputs = new float[examples][];
        _labels = new int[examples];
        for (var i = 0; i < examples; i++)
        {
            _labels[i] = i % Classes;
            _inputs[i] = new float[Features];
            data.FillNormal(_inputs[i], 0f, 0.5f);
            _inputs[i][_labels[i]] += 2f;
        }
        _dropout = dropout;
        Weight = new Parameter("classifier.weight", new Tensor(Classes, Features), new Tensor(Classes, Features), weightDecay: true);
        Bias = new Parameter("classifier.bias", new Tensor(Classes), new Tensor(Classes), weightDecay: false);
        new Rng(7).FillNormal(Weight.Value.Span, 0f, 0.1f);
        Parameters = [Weight, Bias];
        DeviceParameters = [.. Parameters.Select(ManagedBackend.Instance.Bind)];
    }

    public Parameter Weight { get; }

    public Parameter Bias { get; }

    /// <summary>When set, every loss is NaN (a diverging model).</summary>
    public bool Poisoned { get; set; }

    public IReadOnlyList<Parameter> Parameters { get; }

    public IReadOnlyList<Parameter> TrainableParameters => Parameters;

    /// <summary>The model computes on the host.</summary>
    public ComputeBackend Backend => ManagedBackend.Instance;

    public IReadOnlyList<DeviceParameter> DeviceParameters { get; }

    public int ExampleCount => _inputs.Length;

    public int ExampleLength(int index) => index % 5;

    public float ForwardBackward(ReadOnlySpan<int> examples, float lossScale)
    {
        double loss = 0;
        var w = Weight.Value.Span;
        var b = Bias.Value.Span;
        var dw = Weight.Gradient.Span;
        var db = Bias.Gradient.Span;
        Span<float> x = stackalloc float[Features];
        Span<double> p = stackalloc double[Classes];
        foreach (var e in examples)
        {
            for (var f = 0; f < Features; f++)
                x[f] = _dropout > 0 && _rng.NextFloat() < _dropout ? 0f : _inputs[e][f] / (1 - _dropout);
            var max = double.NegativeInfinity;
            for (var c = 0; c < Classes; c++)
            {
                p[c] = b[c];
                for (var f = 0; f < Features; f++) p[c] += w[c * Features + f] * x[f];
                max = Math.Max(max, p[c]);
            }
            double sum = 0;
            for (var c = 0; c < Classes; c++) sum += p[c] = Math.Exp(p[c] - max);
            for (var c = 0; c < Classes; c++) p[c] /= sum;
            loss -= Math.Log(p[_labels[e]]);
            for (var c = 0; c < Classes; c++)
            {
                var g = (float)((p[c] - (c == _labels[e] ? 1 : 0)) * lossScale / examples.Length);
                db[c] += g;
                for (var f = 0; f < Features; f++) dw[c * Features + f] += g * x[f];
            }
        }
        return Poisoned ? float.NaN : (float)(loss / examples.Length);
    }

    public void ReseedRandomness(ulong seed) => _rng.Reseed(seed);

    public void WriteCheckpointFiles(string directory) =>
        File.WriteAllText(Path.Combine(directory, "config.json"), "{\"model_type\": \"softmax-regression\"}");

    /// <summary>Fraction of examples whose most probable class is the label (no dropout).</summary>
    public double Accuracy()
    {
        var correct = 0;
        for (var e = 0; e < _inputs.Length; e++)
        {
            var (best, bestScore) = (0, double.NegativeInfinity);
            for (var c = 0; c < Classes; c++)
            {
                double score = Bias.Value.Span[c];
                for (var f = 0; f < Features; f++) score += Weight.Value.Span[c * Features + f] * _inputs[e][f];
                if (score > bestScore) (best, bestScore) = (c, score);
            }
            if (best == _labels[e]) correct++;
        }
        return (double)correct / _inputs.Length;
    }

    public float[] Snapshot() => [.. Weight.Value.Span.ToArray(), .. Bias.Value.Span.ToArray()];
}
