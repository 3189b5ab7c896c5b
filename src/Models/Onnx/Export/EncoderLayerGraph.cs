using System.Globalization;
using MLNet.Transformers.Models.Layers;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// One post-LayerNorm encoder layer in the graph, as <see cref="BertEncoderLayer"/> computes it at inference:
/// <code>
/// a = LayerNorm(x + dense_o(attention(x)))
/// y = LayerNorm(a + dense_2(act(dense_1 a)))
/// </code>
/// </summary>
internal static class EncoderLayerGraph
{
    /// <summary>Layer <paramref name="index"/>'s output (B, T, C) for hidden states x (B, T, C).</summary>
    /// <exception cref="NotSupportedException">The layer is causal (a decoder layer), which the encoder exports do not express.</exception>
    public static string Add(OnnxGraphBuilder graph, BertEncoderLayer layer, int index, string x, string paddingKeys)
    {
        var (p, options) = (layer.Parameters, layer.Options);
        if (options.Causal) throw new NotSupportedException($"Encoder layer {index} is causal; only bidirectional encoders export to ONNX.");
        using var scope = graph.Enter("encoder/layer." + index.ToString(CultureInfo.InvariantCulture));
        var context = SelfAttentionGraph.Add(graph, p, options, x, paddingKeys); // (B, T, C)
        var attended = DenseGraph.Add(graph, context, p.AttentionOutputWeight, p.AttentionOutputBias); // (B, T, C)
        var normed = LayerNormGraph.Add(graph, graph.Node(OnnxOps.Add, [attended, x]), p.AttentionNormWeight, p.AttentionNormBias,
            options.LayerNormEps); // (B, T, C)
        var intermediate = DenseGraph.Add(graph, normed, p.IntermediateWeight, p.IntermediateBias); // (B, T, F)
        var activated = ActivationGraph.Add(graph, intermediate, options.HiddenActivation); // (B, T, F)
        var output = DenseGraph.Add(graph, activated, p.OutputWeight, p.OutputBias); // (B, T, C)
        return LayerNormGraph.Add(graph, graph.Node(OnnxOps.Add, [output, normed]), p.OutputNormWeight, p.OutputNormBias,
            options.LayerNormEps); // (B, T, C)
    }
}
