using MLNet.Transformers.Models.Pooling;
using EnginePooling = MLNet.Transformers.Tensors.Pooling;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// A <see cref="SentencePooler"/> in the graph: each pooling of its config over the real tokens, concatenated in the
/// config's order (cls, max, mean, mean-sqrt-len), then scaled to unit L2 norm when the config normalises.
/// </summary>
internal static class SentencePoolingGraph
{
    private const long TokensAxis = 1, PooledChannelsAxis = 1, FirstToken = 0;

    /// <summary>keepdims values: drop the reduced axis, or keep it as a dimension of 1.</summary>
    private const long DropReducedAxis = 0, KeepReducedAxis = 1;

    /// <summary>The axis a (B, T) mask gains to broadcast over channels: (B, T, 1).</summary>
    private const long MaskChannelAxis = 2;

    /// <summary>The attention mask's value at padding tokens.</summary>
    private const long PaddingMaskValue = 0;

    /// <summary>The sentence vectors (B, modes·C) of hidden states (B, T, C) and the attention mask (B, T).</summary>
    public static string Add(OnnxGraphBuilder graph, SentencePooler pooler, string hidden, string attentionMask)
    {
        using var scope = graph.Enter("pooling");
        var parts = pooler.Config.Modes.Select(mode => Pool(graph, mode, hidden, attentionMask)).ToList(); // each (B, C)
        var pooled = parts.Count == 1 ? parts[0] : graph.Node(OnnxOps.Concat, parts, OnnxAttribute.Int(OnnxOps.Axis, PooledChannelsAxis)); // (B, M·C)
        return pooler.Normalize ? Normalize(graph, pooled) : pooled;
    }

    private static string Pool(OnnxGraphBuilder graph, PoolingMode mode, string hidden, string attentionMask) => mode switch
    {
        PoolingMode.Cls => graph.Node(OnnxOps.Gather, [hidden, graph.Int64Scalar(FirstToken)], OnnxAttribute.Int(OnnxOps.Axis, TokensAxis)), // (B, C)
        PoolingMode.Mean => graph.Node(OnnxOps.Div, [MaskedSum(graph, hidden, attentionMask, out var count), count]), // (B, C)
        PoolingMode.MeanSqrtLen => graph.Node(OnnxOps.Div, [MaskedSum(graph, hidden, attentionMask, out var count), graph.Node(OnnxOps.Sqrt, [count])]),
        PoolingMode.Max => Max(graph, hidden, attentionMask),
        _ => throw new NotSupportedException($"Pooling mode {mode} cannot be exported to ONNX."),
    };

    /// <summary>Σ_t mask·hidden (B, C), and the real-token count clamped as the engine clamps it (B, 1).</summary>
    private static string MaskedSum(OnnxGraphBuilder graph, string hidden, string attentionMask, out string count)
    {
        var mask = graph.Node(OnnxOps.Cast, [attentionMask], OnnxAttribute.Int(OnnxOps.To, OnnxDataType.Float)); // (B, T)
        var weights = graph.Node(OnnxOps.Unsqueeze, [mask, graph.Int64s(MaskChannelAxis)]); // (B, T, 1)
        var sum = graph.Node(OnnxOps.ReduceSum, [graph.Node(OnnxOps.Mul, [hidden, weights]), graph.Int64s(TokensAxis)],
            OnnxAttribute.Int(OnnxOps.KeepDims, DropReducedAxis)); // (B, C)
        var tokens = graph.Node(OnnxOps.ReduceSum, [weights, graph.Int64s(TokensAxis)], OnnxAttribute.Int(OnnxOps.KeepDims, DropReducedAxis)); // (B, 1)
        count = graph.Node(OnnxOps.Max, [tokens, graph.FloatScalar(EnginePooling.MinTokenCount)]); // (B, 1)
        return sum;
    }

    /// <summary>The per-channel maximum over real tokens (B, C): padding tokens are replaced by −∞ first.</summary>
    private static string Max(OnnxGraphBuilder graph, string hidden, string attentionMask)
    {
        var padding = graph.Node(OnnxOps.Equal, [graph.Node(OnnxOps.Unsqueeze, [attentionMask, graph.Int64s(MaskChannelAxis)]), graph.Int64Scalar(PaddingMaskValue)]); // (B, T, 1) bool
        var real = graph.Node(OnnxOps.Where, [padding, graph.FloatScalar(float.NegativeInfinity), hidden]); // (B, T, C)
        return graph.Node(OnnxOps.ReduceMax, [real], OnnxAttribute.Ints(OnnxOps.Axes, TokensAxis), OnnxAttribute.Int(OnnxOps.KeepDims, DropReducedAxis)); // (B, C)
    }

    /// <summary>x / max(‖x‖, ε) row by row (B, D), as <see cref="L2Normalize"/>.</summary>
    private static string Normalize(OnnxGraphBuilder graph, string x)
    {
        var norm = graph.Node(OnnxOps.ReduceL2, [x], OnnxAttribute.Ints(OnnxOps.Axes, PooledChannelsAxis), OnnxAttribute.Int(OnnxOps.KeepDims, KeepReducedAxis)); // (B, 1)
        return graph.Node(OnnxOps.Div, [x, graph.Node(OnnxOps.Max, [norm, graph.FloatScalar(L2Normalize.Epsilon)])]); // (B, D)
    }
}
