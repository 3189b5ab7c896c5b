using System.Text.Json;
using MLNet.Transformers.Models.Layers;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Models.Tests.Layers;

/// <summary>
/// One encoder-layer case written by <c>tools/reference/engine/encoder_layer.py</c> (PyTorch): parameters by Hugging
/// Face name, input, mask, output, upstream gradient and every gradient (<c>grad.</c> prefix).
/// </summary>
internal sealed class LayerFixture
{
    private readonly Dictionary<string, (int[] Shape, float[] Data)> _tensors;

    private LayerFixture(Dictionary<string, (int[] Shape, float[] Data)> tensors) => _tensors = tensors;

    public static LayerFixture Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("Models.Tests", "fixtures", "layers", name + ".json")));
        var tensors = new Dictionary<string, (int[], float[])>();
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            var data = entry.Value.GetProperty("data").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            tensors.Add(entry.Name, (shape, data));
        }
        return new LayerFixture(tensors);
    }

    public float[] this[string name] => _tensors[name].Data;

    public Tensor Tensor(string name) => Tensors.Tensor.Wrap(_tensors[name].Data.ToArray(), 0, _tensors[name].Shape);

    public IEnumerable<string> ParameterNames =>
        _tensors.Keys.Where(k => (k.StartsWith("attention.", StringComparison.Ordinal)
            || k.StartsWith("intermediate.", StringComparison.Ordinal) || k.StartsWith("output.", StringComparison.Ordinal)));

    /// <summary>The layer options the case was made with, dropout off.</summary>
    public EncoderLayerOptions Options(ActivationKind activation)
    {
        var config = this["config"]; // hidden, heads, intermediate, eps, causal
        return new EncoderLayerOptions
        {
            HiddenSize = (int)config[0],
            AttentionHeads = (int)config[1],
            IntermediateSize = (int)config[2],
            LayerNormEps = config[3],
            Causal = config[4] != 0f,
            HiddenActivation = activation,
            HiddenDropout = 0f,
            AttentionDropout = 0f,
        };
    }

    /// <summary>
    /// max |actual − expected| / max(1, max |expected|): the error relative to the tensor's scale, and absolute for
    /// tensors that are near zero (a key bias's gradient is zero in exact arithmetic).
    /// </summary>
    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.AreEqual(expected.Length, actual.Length);
        double worst = 0, scale = 1;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }
        return worst / scale;
    }
}
