using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Onnx;

/// <summary>
/// An ONNX graph indexed for following values: the initializer of a name, the node that produces a value and the
/// nodes that consume it.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);

    /// <exception cref="InvalidDataException">Two initializers, or two node outputs, share a name.</exception>
    public OnnxGraph(GraphProto graph, string location)
    {
        Proto = graph;
        Location = location;
        foreach (var initializer in graph.Initializer)
        {
            if (!_initializers.TryAdd(initializer.Name, initializer))
                throw new InvalidDataException($"{location}: initializer '{initializer.Name}' appears twice.");
        }
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                if (!_producers.TryAdd(output, node))
                    throw new InvalidDataException($"{location}: value '{output}' is produced by two nodes.");
            }
            foreach (var input in node.Input.Where(i => i.Length > 0).Distinct())
            {
                if (!_consumers.TryGetValue(input, out var list)) _consumers[input] = list = [];
                list.Add(node);
            }
        }
    }

    /// <summary>The model file, for messages.</summary>
    public string Location { get; }

    /// <summary>The parsed graph.</summary>
    public GraphProto Proto { get; }

    /// <summary>The nodes in topological order.</summary>
    public IEnumerable<NodeProto> Nodes => Proto.Node;

    /// <summary>The initializer named <paramref name="name"/>, or null.</summary>
    public TensorProto? Initializer(string name) => _initializers.GetValueOrDefault(name);

    /// <summary>The node whose output is <paramref name="value"/>, or null for a graph input or an initializer.</summary>
    public NodeProto? Producer(string value) => _producers.GetValueOrDefault(value);

    /// <summary>The nodes that take <paramref name="value"/> as an input.</summary>
    public IReadOnlyList<NodeProto> Consumers(string value) => _consumers.TryGetValue(value, out var list) ? list : [];

    /// <summary>The nodes of one operator type.</summary>
    public IEnumerable<NodeProto> NodesOf(string opType) => Proto.Node.Where(n => n.OpType == opType);

    /// <summary>How messages name an initializer: <c>file: initializer 'name'</c>.</summary>
    public string What(TensorProto initializer) => $"{Location}: initializer '{initializer.Name}'";
}
