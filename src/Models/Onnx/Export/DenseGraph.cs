using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// A dense layer in the graph, <c>y = x · Wᵀ + b</c>: the weight stays an initializer in PyTorch's (out, in) layout
/// under its checkpoint name and is transposed by a node (which ONNX Runtime folds once when it loads the model), so
/// the file's weights read like a checkpoint's.
/// </summary>
internal static class DenseGraph
{
    private static readonly long[] SwapAxes = [1, 0];

    /// <summary>y (..., out) for x (..., in), weight (out, in) and bias (out).</summary>
    public static string Add(OnnxGraphBuilder graph, string x, Parameter weight, Parameter bias)
    {
        var transposed = graph.Node(OnnxOps.Transpose, [graph.Weight(weight)], OnnxAttribute.Ints(OnnxOps.Perm, SwapAxes)); // (in, out)
        var product = graph.Node(OnnxOps.MatMul, [x, transposed]); // (..., out)
        return graph.Node(OnnxOps.Add, [product, graph.Weight(bias)]); // (..., out)
    }

    /// <summary>A <see cref="DenseLayer"/> with its activation: act(x · Wᵀ + b), (..., out).</summary>
    public static string Add(OnnxGraphBuilder graph, string x, DenseLayer layer)
    {
        var y = Add(graph, x, layer.Weight, layer.Bias); // (..., out)
        return layer.ActivationFunction is { } kind ? ActivationGraph.Add(graph, y, kind) : y;
    }
}
