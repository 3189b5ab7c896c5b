using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Onnx;

/// <summary>
/// The weights of a BERT-family ONNX export under their Hugging Face names, so that an <c>.onnx</c> file loads like
/// a <c>model.safetensors</c>. Named initializers keep their names; a dense weight the exporter stored as an unnamed
/// (in, out) matrix (<c>onnx::MatMul_*</c>) is named after the bias its following Add consumes (<c>X.bias</c> gives
/// <c>X.weight</c>) and read transposed to (out, in); a <c>Gemm</c> weight is named by its bias input and read
/// transposed unless <c>transB</c> is set. Graph constants (integer shapes and indices, the <c>position_ids</c>
/// buffer, unnamed scalars) are not listed. The whole model is parsed on open and held in memory until disposed.
/// </summary>
public sealed class OnnxTensorSource : ITensorSource
{
    private readonly Dictionary<string, OnnxWeight> _weights;
    private bool _disposed;

    private OnnxTensorSource(string location, ModelProto model)
    {
        Location = location;
        Graph = new OnnxGraph(model.Graph, location);
        var weights = OnnxWeightMapper.Map(Graph);
        _weights = weights.ToDictionary(w => w.Name, StringComparer.Ordinal);
        Names = [.. weights.Select(w => w.Name)];
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        InputNames = [.. model.Graph.Input.Select(i => i.Name).Where(name => !initializers.Contains(name))];
        OutputNames = [.. model.Graph.Output.Select(o => o.Name)];
        Metadata = model.MetadataProps.GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
    }

    /// <summary>Reads and maps the ONNX model at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a complete ONNX model, or an initializer is external, sparse, or cannot be given a parameter
    /// name (the message names it and says why).
    /// </exception>
    public static OnnxTensorSource Open(string path) => new(path, OnnxModelReader.Read(path));

    /// <summary>Reads and maps an ONNX model from a stream (e.g. an embedded resource); <paramref name="location"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">As for <see cref="Open"/>.</exception>
    public static OnnxTensorSource Load(Stream stream, string location) => new(location, OnnxModelReader.Read(stream, location));

    /// <inheritdoc />
    public string Location { get; }

    /// <summary>The Hugging Face names of the weights, in the graph's initializer order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The graph's inputs that are fed at run time (e.g. <c>input_ids</c>, <c>attention_mask</c>).</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The graph's outputs (e.g. <c>last_hidden_state</c>, <c>pooler_output</c>).</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>
    /// The model's named metadata strings (ONNX <c>metadata_props</c>); our exports keep the model's
    /// <c>config.json</c> there under <see cref="Export.OnnxExportNames.ConfigMetadataKey"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The indexed graph, for inferring the configuration.</summary>
    internal OnnxGraph Graph { get; }

    /// <summary>The ONNX initializer that holds weight <paramref name="name"/> (e.g. <c>onnx::MatMul_1234</c>).</summary>
    /// <exception cref="KeyNotFoundException">No weight has this name.</exception>
    public string InitializerName(string name) => Weight(name).Initializer.Name;

    /// <summary>Whether weight <paramref name="name"/> is stored (in, out) in the graph and transposed when read.</summary>
    /// <exception cref="KeyNotFoundException">No weight has this name.</exception>
    public bool IsTransposed(string name) => Weight(name).Transposed;

    /// <summary>Type and shape of a weight as Hugging Face stores it: (out, in) for a dense weight.</summary>
    /// <exception cref="KeyNotFoundException">No weight has this name.</exception>
    public TensorInfo Describe(string name)
    {
        var weight = Weight(name);
        var info = OnnxTensorData.Info(weight.Initializer, What(weight));
        return weight.Transposed ? info with { Shape = [.. info.Shape.Reverse()] } : info;
    }

    /// <summary>Reads a weight as floats in Hugging Face layout: (out, in) for a dense weight.</summary>
    /// <exception cref="KeyNotFoundException">No weight has this name.</exception>
    /// <exception cref="InvalidDataException">The stored data does not match its shape, or the destination's size differs.</exception>
    public void Read(string name, Span<float> destination)
    {
        var weight = Weight(name);
        if (!weight.Transposed)
        {
            OnnxTensorData.ReadFloats(weight.Initializer, destination, What(weight));
            return;
        }
        var stored = OnnxTensorData.ReadFloats(weight.Initializer, What(weight)); // (in, out)
        var shape = weight.Initializer.Dims;
        if (destination.Length != stored.Length)
            throw new InvalidDataException($"{What(weight)}: holds {stored.Length} elements, the destination {destination.Length}.");
        Transpose(stored, checked((int)shape[0]), checked((int)shape[1]), destination); // (out, in)
    }

    /// <summary>Reads a weight into a new float array, in Hugging Face layout.</summary>
    /// <exception cref="KeyNotFoundException">No weight has this name.</exception>
    public float[] ReadSingle(string name)
    {
        var values = new float[checked((int)Describe(name).ElementCount)];
        Read(name, values);
        return values;
    }

    /// <summary>Closes the source: later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _disposed = true;

    private OnnxWeight Weight(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _weights.TryGetValue(name, out var weight)
            ? weight
            : throw new KeyNotFoundException($"{Location}: no weight named '{name}'.");
    }

    private string What(OnnxWeight weight) => $"{Location}: initializer '{weight.Initializer.Name}' ({weight.Name})";

    /// <summary>(rows, columns) to (columns, rows).</summary>
    private static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination)
    {
        for (var r = 0; r < rows; r++)
        {
            var row = source.Slice(r * columns, columns);
            for (var c = 0; c < columns; c++) destination[c * rows + r] = row[c];
        }
    }
}
