using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// The engine's activations (<see cref="ActivationKind"/>) in standard operators: exact GELU through <c>Erf</c>,
/// the tanh approximation written out, <c>Relu</c> and <c>Tanh</c> as themselves.
/// </summary>
internal static class ActivationGraph
{
    private const float Half = 0.5f, One = 1f, Three = 3f;
    private const float InverseSqrt2 = 0.70710678118654752f;
    private const float Sqrt2OverPi = 0.79788456080286536f;
    private const float GeluTanhCubic = 0.044715f;

    /// <summary>act(x), same shape as x.</summary>
    /// <exception cref="NotSupportedException">An activation this exporter does not know.</exception>
    public static string Add(OnnxGraphBuilder graph, string x, ActivationKind kind) => kind switch
    {
        ActivationKind.Gelu => Gelu(graph, x, graph.Node(OnnxOps.Erf, [graph.Node(OnnxOps.Mul, [x, graph.FloatScalar(InverseSqrt2)])])),
        ActivationKind.GeluTanh => Gelu(graph, x, graph.Node(OnnxOps.Tanh, [TanhArgument(graph, x)])),
        ActivationKind.Relu => graph.Node(OnnxOps.Relu, [x]),
        ActivationKind.Tanh => graph.Node(OnnxOps.Tanh, [x]),
        _ => throw new NotSupportedException($"Activation {kind} cannot be exported to ONNX."),
    };

    /// <summary>0.5 · x · (1 + s) for s = erf(x/√2) (exact) or tanh(√(2/π)(x + 0.044715x³)) (approximate).</summary>
    private static string Gelu(OnnxGraphBuilder graph, string x, string s)
    {
        var onePlus = graph.Node(OnnxOps.Add, [s, graph.FloatScalar(One)]);
        var halfX = graph.Node(OnnxOps.Mul, [x, graph.FloatScalar(Half)]);
        return graph.Node(OnnxOps.Mul, [halfX, onePlus]);
    }

    /// <summary>√(2/π) · (x + 0.044715 · x³).</summary>
    private static string TanhArgument(OnnxGraphBuilder graph, string x)
    {
        var cube = graph.Node(OnnxOps.Pow, [x, graph.FloatScalar(Three)]);
        var inner = graph.Node(OnnxOps.Add, [x, graph.Node(OnnxOps.Mul, [cube, graph.FloatScalar(GeluTanhCubic)])]);
        return graph.Node(OnnxOps.Mul, [inner, graph.FloatScalar(Sqrt2OverPi)]);
    }
}
