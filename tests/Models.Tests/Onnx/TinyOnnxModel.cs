using Google.Protobuf;
using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Tests.Onnx;

/// <summary>
/// Builds small ONNX graphs shaped like a BERT export's pieces, for mapping rules and hostile inputs: a dense layer
/// as torch folds it (MatMul by an unnamed (in, out) weight, then Add of a named bias), a pooler Gemm, a named
/// LayerNorm weight, and the constants an export carries (an int64 shape, an unnamed scalar).
/// </summary>
internal static class TinyOnnxModel
{
    public const int In = 4, Out = 3;
    public const string DenseWeight = "42", DenseBias = "dense.bias";
    public const string PoolerWeight = "43", PoolerBias = "pooler.dense.bias";
    public const string NormWeight = "LayerNorm.weight";
    private const int IrVersion = 7, Opset = 13;
    private const int FloatType = 1, Int64Type = 7, FloatAttribute = 1, IntAttribute = 2;

    /// <summary>The dense weight as stored, (in, out) row-major: element (i, o) is 10·i + o.</summary>
    public static float[] DenseValues { get; } = [.. Enumerable.Range(0, In * Out).Select(k => 10f * (k / Out) + k % Out)];

    /// <summary>The pooler weight as stored for transB = 0, (in, out): element (i, o) is 100 + 10·i + o.</summary>
    public static float[] PoolerValues { get; } = [.. DenseValues.Select(v => 100f + v)];

    /// <summary>x (B, T, in) → MatMul → Add(bias); x[:, 0] → Gemm(transB = 0); x · LayerNorm.weight; constants.</summary>
    public static ModelProto Build()
    {
        var graph = new GraphProto { Name = "tiny" };
        graph.Initializer.Add(Floats(DenseWeight, [In, Out], DenseValues));
        graph.Initializer.Add(Floats(DenseBias, [Out], new float[Out]));
        graph.Initializer.Add(Floats(PoolerWeight, [In, Out], PoolerValues, typed: true));
        graph.Initializer.Add(Floats(PoolerBias, [Out], new float[Out]));
        graph.Initializer.Add(Floats(NormWeight, [In], [1f, 2f, 3f, 4f]));
        graph.Initializer.Add(Floats("44", [], [1e-12f]));
        graph.Initializer.Add(Int64s("45", [1], [Out]));
        graph.Node.Add(Node("MatMul", ["x", DenseWeight], ["mm"]));
        graph.Node.Add(Node("Add", [DenseBias, "mm"], ["dense"]));
        graph.Node.Add(Node("Gemm", ["first", PoolerWeight, PoolerBias], ["pooled"], Int("transB", 0), Float("alpha", 1f)));
        graph.Node.Add(Node("Mul", ["x", NormWeight], ["scaled"]));
        graph.Node.Add(Node("Add", ["scaled", "44"], ["shifted"]));
        graph.Node.Add(Node("Reshape", ["dense", "45"], ["flat"]));
        graph.Input.Add(new ValueInfoProto { Name = "x" });
        graph.Output.Add(new ValueInfoProto { Name = "flat" });
        var model = new ModelProto { IrVersion = IrVersion, ProducerName = "tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = Opset });
        return model;
    }

    /// <summary>Writes a model to <paramref name="path"/> and returns the path.</summary>
    public static string Write(ModelProto model, string path)
    {
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    /// <summary>A float tensor in raw_data (little-endian bytes), or in the typed float_data field.</summary>
    public static TensorProto Floats(string name, long[] dims, float[] values, bool typed = false)
    {
        var tensor = new TensorProto { Name = name, DataType = FloatType };
        tensor.Dims.Add(dims);
        if (typed) tensor.FloatData.Add(values);
        else tensor.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
        return tensor;
    }

    /// <summary>An int64 tensor in raw_data.</summary>
    public static TensorProto Int64s(string name, long[] dims, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = Int64Type };
        tensor.Dims.Add(dims);
        tensor.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
        return tensor;
    }

    public static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = op + "_" + outputs[0] };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        return node;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = IntAttribute, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = FloatAttribute, F = value };
}
