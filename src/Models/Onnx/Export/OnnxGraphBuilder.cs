using System.Globalization;
using MLNet.Transformers.Models.Onnx.Proto;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// Writes an ONNX graph node by node. Weights become initializers under the checkpoint names of the model being
/// exported (found by the parameter's tensor, so <c>bert.</c> prefixes and DistilBERT names come out as
/// <c>SavePretrained</c> writes them), each written once. Constants (shapes, axes, scalars) are unnamed-looking
/// initializers under <c>/constants/</c>, one per distinct value, which the ONNX reader skips as graph constants.
/// Node outputs are named after the node, <c>/scope/Op_N</c>, unless the caller names a graph output.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private const string ConstantScope = "/constants/";
    private readonly Dictionary<Tensor, string> _weightNames = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private readonly List<string> _scopes = [];
    private int _nodeCount;

    /// <summary>Starts an empty graph whose weights are the <paramref name="parameters"/> under their names.</summary>
    public OnnxGraphBuilder(string name, IEnumerable<Parameter> parameters)
    {
        Graph = new GraphProto { Name = name };
        foreach (var parameter in parameters) _weightNames.TryAdd(parameter.Value, parameter.Name);
    }

    /// <summary>The graph written so far.</summary>
    public GraphProto Graph { get; }

    /// <summary>Names the nodes added until the result is disposed with one more path segment (<c>/encoder/layer.0/...</c>).</summary>
    public IDisposable Enter(string scope)
    {
        _scopes.Add(scope);
        return new ScopeExit(_scopes);
    }

    /// <summary>Adds a node and returns the name of its (single) output.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, output: null, attributes);

    /// <summary>Adds a node whose output is named <paramref name="output"/> (a graph output), or after the node when null.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string? output, params AttributeProto[] attributes)
    {
        var name = $"/{string.Concat(_scopes.Select(s => s + "/"))}{opType}_{_nodeCount++.ToString(CultureInfo.InvariantCulture)}";
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.Add(inputs);
        node.Output.Add(output ?? name);
        node.Attribute.Add(attributes);
        Graph.Node.Add(node);
        return output ?? name;
    }

    /// <summary>The checkpoint name of a parameter of the exported model.</summary>
    /// <exception cref="InvalidOperationException">The parameter is not one of the model's.</exception>
    public string NameOf(Parameter parameter) =>
        _weightNames.TryGetValue(parameter.Value, out var name)
            ? name
            : throw new InvalidOperationException($"Parameter '{parameter.Name}' is not a parameter of the exported model.");

    /// <summary>A parameter as an initializer under its checkpoint name, in its own layout (a dense weight (out, in)).</summary>
    public string Weight(Parameter parameter)
    {
        var name = NameOf(parameter);
        if (_written.Add(name))
        {
            var value = parameter.Value;
            Graph.Initializer.Add(OnnxInitializers.Floats(name, value.Span, [.. value.Shape.ToArray().Select(d => (long)d)]));
        }
        return name;
    }

    /// <summary>A float table that is not a parameter (a fixed sinusoidal position table) as an initializer named <paramref name="name"/>.</summary>
    public string Weight(string name, float[] values, params long[] dims)
    {
        if (_written.Add(name)) Graph.Initializer.Add(OnnxInitializers.Floats(name, values, dims));
        return name;
    }

    /// <summary>A 1-D int64 constant (a shape, axes, a slice bound).</summary>
    public string Int64s(params long[] values) =>
        Constant($"int64[{string.Join(",", values)}]", name => OnnxInitializers.Int64s(name, values, values.Length));

    /// <summary>A scalar int64 constant (an axis, an index, a padding id).</summary>
    public string Int64Scalar(long value) => Constant($"int64_{value}", name => OnnxInitializers.Int64s(name, [value]));

    /// <summary>A scalar float constant (a scale, an epsilon, the masked score).</summary>
    public string FloatScalar(float value) =>
        Constant($"float_{value.ToString("R", CultureInfo.InvariantCulture)}", name => OnnxInitializers.Floats(name, [value]));

    /// <summary>Declares a graph input of an element type (<see cref="OnnxDataType"/>) and shape.</summary>
    public string Input(string name, int elementType, params OnnxDim[] shape)
    {
        Graph.Input.Add(ValueInfo(name, elementType, shape));
        return name;
    }

    /// <summary>Declares a graph output (the value a node wrote under this name) of an element type and shape.</summary>
    public void Output(string name, int elementType, params OnnxDim[] shape) => Graph.Output.Add(ValueInfo(name, elementType, shape));

    private string Constant(string key, Func<string, TensorProto> create)
    {
        if (_constants.TryGetValue(key, out var existing)) return existing;
        var name = ConstantScope + key;
        Graph.Initializer.Add(create(name));
        _constants.Add(key, name);
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, int elementType, OnnxDim[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var dim in shape)
        {
            tensorShape.Dim.Add(dim.Symbol is { } symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = dim.Size });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TensorTypeProto { ElemType = elementType, Shape = tensorShape } },
        };
    }

    /// <summary>Leaves the innermost scope when disposed.</summary>
    private sealed class ScopeExit(List<string> scopes) : IDisposable
    {
        public void Dispose() => scopes.RemoveAt(scopes.Count - 1);
    }
}
