using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Onnx;

/// <summary>
/// Values known without running the graph: initializers and <c>Constant</c> nodes, passed through the operators that
/// only reshape or retype them (Identity, Cast, Unsqueeze, Squeeze) and joined by Concat. Exporters build reshape
/// targets this way: torch writes <c>view(B, T, heads, head_dim)</c> as a Concat of two dimensions read from the
/// input's shape and two constants.
/// </summary>
internal static class OnnxConstants
{
    private static readonly HashSet<string> PassThrough = [OnnxOps.Identity, OnnxOps.Cast, OnnxOps.Unsqueeze, OnnxOps.Squeeze];

    /// <summary>The integer elements of <paramref name="value"/> when it is a constant, else null.</summary>
    public static long[]? Ints(OnnxGraph graph, string value)
    {
        var parts = PartialInts(graph, value);
        return parts is null || parts.Any(p => p is null) ? null : [.. parts.Select(p => p!.Value)];
    }

    /// <summary>
    /// The integer elements of <paramref name="value"/>, null where an element is computed at run time: a Concat part
    /// that is not constant counts as one unknown element when it is an Unsqueeze (a scalar made a 1-element vector, as
    /// exporters write a dimension read from a shape). Null when even the element count is unknown.
    /// </summary>
    public static long?[]? PartialInts(OnnxGraph graph, string value)
    {
        if (graph.Initializer(value) is { } initializer)
            return IsInteger(initializer) ? [.. OnnxTensorData.ReadInt64s(initializer, graph.What(initializer)).Select(v => (long?)v)] : null;
        if (graph.Producer(value) is not { } node) return null;
        if (node.OpType == OnnxOps.Constant) return ConstantInts(graph, node)?.Select(v => (long?)v).ToArray();
        if (PassThrough.Contains(node.OpType)) return PartialInts(graph, node.Input[0]);
        if (node.OpType != OnnxOps.Concat) return null;
        var joined = new List<long?>();
        foreach (var input in node.Input)
        {
            if (PartialInts(graph, input) is { } known) joined.AddRange(known);
            else if (graph.Producer(input)?.OpType == OnnxOps.Unsqueeze) joined.Add(null);
            else return null;
        }
        return [.. joined];
    }

    /// <summary>The value of a one-element floating-point constant, else null.</summary>
    public static float? Scalar(OnnxGraph graph, string value)
    {
        if (graph.Initializer(value) is { } initializer) return ScalarOf(initializer, graph.What(initializer));
        if (graph.Producer(value) is not { } node) return null;
        if (PassThrough.Contains(node.OpType)) return Scalar(graph, node.Input[0]);
        if (node.OpType != OnnxOps.Constant) return null;
        if (node.Find(OnnxOps.ValueFloat) is { } single) return single.F;
        if (node.Find(OnnxOps.ValueFloats) is { Floats.Count: 1 } list) return list.Floats[0];
        return node.Find(OnnxOps.Value)?.T is { } tensor ? ScalarOf(tensor, $"{graph.Location}: constant '{value}'") : null;
    }

    private static long[]? ConstantInts(OnnxGraph graph, NodeProto node)
    {
        if (node.Find(OnnxOps.ValueInt) is { } single) return [single.I];
        if (node.Find(OnnxOps.ValueInts) is { } list) return [.. list.Ints];
        return node.Find(OnnxOps.Value)?.T is { } tensor && IsInteger(tensor)
            ? OnnxTensorData.ReadInt64s(tensor, $"{graph.Location}: constant '{node.Output[0]}'")
            : null;
    }

    private static float? ScalarOf(TensorProto tensor, string what) =>
        OnnxDataType.ToDType(tensor.DataType) is { } dtype && dtype.IsFloatingPoint() && tensor.Dims.Aggregate(1L, (p, d) => p * d) == 1
            ? OnnxTensorData.ReadFloats(tensor, what)[0]
            : null;

    private static bool IsInteger(TensorProto tensor) => tensor.DataType is OnnxDataType.Int64 or OnnxDataType.Int32;
}
