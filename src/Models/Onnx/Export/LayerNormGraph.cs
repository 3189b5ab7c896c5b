using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// LayerNorm over the last axis as the standard <c>LayerNormalization</c> operator (opset 17): the biased variance,
/// <c>(x − mean) / √(var + eps) · γ + β</c>, as the engine's kernel and torch compute it.
/// </summary>
internal static class LayerNormGraph
{
    private const long LastAxis = -1;

    /// <summary>y (..., C) for x (..., C), scale γ (C) and shift β (C).</summary>
    public static string Add(OnnxGraphBuilder graph, string x, Parameter gamma, Parameter beta, float epsilon) =>
        graph.Node(OnnxOps.LayerNormalization, [x, graph.Weight(gamma), graph.Weight(beta)],
            OnnxAttribute.Int(OnnxOps.Axis, LastAxis), OnnxAttribute.Float(OnnxOps.Epsilon, epsilon));
}
