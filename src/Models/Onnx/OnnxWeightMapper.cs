using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Onnx;

/// <summary>
/// Names an ONNX graph's weights as Hugging Face does. Named initializers keep their names. A dense weight that the
/// exporter folded into an unnamed (in, out) matrix (<c>onnx::MatMul_*</c>) is named by its bias: the MatMul
/// consuming it feeds an Add whose other input is the initializer <c>X.bias</c>, so it is <c>X.weight</c>, read
/// transposed to (out, in). A <c>Gemm</c> weight is named by its C input the same way, transposed unless
/// <c>transB</c> is set. Integer initializers (shapes, indices, the <c>position_ids</c> buffer) and unnamed scalars
/// (epsilons, scales) are the graph's constants, not weights. Anything else, 8-bit (quantized) weights included, is
/// refused by name.
/// </summary>
internal static class OnnxWeightMapper
{
    private const int MatrixRank = 2;
    private const int WeightInput = 1, BiasInput = 2;

    /// <summary>Every weight of the graph, in initializer order.</summary>
    /// <exception cref="InvalidDataException">An initializer is external or sparse, cannot be named, or two map to one name.</exception>
    public static IReadOnlyList<OnnxWeight> Map(OnnxGraph graph)
    {
        if (graph.Proto.SparseInitializer.FirstOrDefault() is { } sparse)
            throw new InvalidDataException(
                $"{graph.Location}: initializer '{sparse.Values?.Name}' is stored sparse, which is not supported.");
        var weights = new List<OnnxWeight>();
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var initializer in graph.Proto.Initializer)
        {
            OnnxTensorData.EnsureInline(initializer, graph.What(initializer));
            if (MapOne(graph, initializer) is not { } weight) continue;
            if (!byName.TryAdd(weight.Name, initializer.Name))
                throw new InvalidDataException(
                    $"{graph.Location}: initializers '{byName[weight.Name]}' and '{initializer.Name}' both map to parameter '{weight.Name}'.");
            weights.Add(weight);
        }
        return weights;
    }

    private static OnnxWeight? MapOne(OnnxGraph graph, TensorProto initializer)
    {
        if (OnnxDataType.ToDType(initializer.DataType) is not { } dtype) return null;
        var what = graph.What(initializer);
        if (dtype is TensorDType.I8 or TensorDType.U8 && OnnxTensorData.Info(initializer, what).ElementCount > 1)
            throw new InvalidDataException(
                $"{what}: an 8-bit integer tensor {OnnxTensorData.Info(initializer, what).ShapeText}; quantized models are not supported, export the float model.");
        if (!dtype.IsFloatingPoint()) return null;
        var consumers = graph.Consumers(initializer.Name);
        var dense = consumers.Where(n => n.OpType is OnnxOps.MatMul or OnnxOps.Gemm && n.Input.IndexOf(initializer.Name) == WeightInput).ToList();
        if (dense.Count > 0)
        {
            if (consumers.Count > 1)
                throw new InvalidDataException(
                    $"{what}: a dense weight also used by {string.Join(", ", consumers.Select(n => n.OpType))}; it cannot be given one parameter name.");
            var shape = OnnxTensorData.Shape(initializer, what);
            if (shape.Length != MatrixRank)
                throw new InvalidDataException($"{what}: a {dense[0].OpType} weight of shape {TensorInfo.ShapeToText(shape)}, expected a matrix.");
            return dense[0].OpType == OnnxOps.MatMul ? FromMatMul(graph, initializer, dense[0], shape, what) : FromGemm(graph, initializer, dense[0], shape, what);
        }
        if (OnnxParameterNames.IsParameterName(initializer.Name)) return new OnnxWeight(initializer.Name, initializer, Transposed: false);
        if (OnnxTensorData.Info(initializer, what).ElementCount <= 1) return null;
        var users = consumers.Count == 0 ? "no node" : string.Join(", ", consumers.Select(n => n.OpType).Distinct());
        throw new InvalidDataException(
            $"{what}: an unnamed {OnnxTensorData.Info(initializer, what).ShapeText} tensor used by {users}, not a MatMul or Gemm weight; no parameter name can be given to it.");
    }

    /// <summary>Y = X · W with W (in, out): named by the bias the following Add adds.</summary>
    private static OnnxWeight FromMatMul(OnnxGraph graph, TensorProto initializer, NodeProto matMul, long[] shape, string what)
    {
        var output = matMul.Output[0];
        var biases = graph.Consumers(output).Where(n => n.OpType == OnnxOps.Add).Select(add => add.OtherInput(output))
            .Where(input => input is not null && graph.Initializer(input) is not null && OnnxParameterNames.IsBias(input))
            .Distinct().ToList();
        if (biases.Count != 1)
            throw new InvalidDataException(
                $"{what}: a MatMul weight {TensorInfo.ShapeToText(shape)} not followed by an Add of one named bias ('….bias' initializer), so it has no parameter name.");
        RequireBiasLength(graph, biases[0]!, shape[1], what);
        return new OnnxWeight(OnnxParameterNames.WeightOf(biases[0]!), initializer, Transposed: true);
    }

    /// <summary>Y = A · op(B) + C: named by C, (out, in) already when transB is set.</summary>
    private static OnnxWeight FromGemm(OnnxGraph graph, TensorProto initializer, NodeProto gemm, long[] shape, string what)
    {
        var transA = gemm.Int(OnnxOps.TransA, 0);
        var transB = gemm.Int(OnnxOps.TransB, 0);
        var alpha = gemm.Float(OnnxOps.Alpha, OnnxOps.GemmDefaultScale);
        var beta = gemm.Float(OnnxOps.Beta, OnnxOps.GemmDefaultScale);
        var bias = gemm.Input.Count > BiasInput && gemm.Input[BiasInput].Length > 0 ? gemm.Input[BiasInput] : null;
        if (transA != 0 || alpha != OnnxOps.GemmDefaultScale || (bias is not null && beta != OnnxOps.GemmDefaultScale))
            throw new InvalidDataException(
                $"{what}: a Gemm weight with transA={transA}, alpha={alpha}, beta={beta}; only A·B + C (B transposed or not) is a dense layer.");
        var outputs = transB != 0 ? shape[0] : shape[1];
        string name;
        if (bias is not null && graph.Initializer(bias) is not null && OnnxParameterNames.IsBias(bias))
        {
            RequireBiasLength(graph, bias, outputs, what);
            name = OnnxParameterNames.WeightOf(bias);
        }
        else if (OnnxParameterNames.IsParameterName(initializer.Name)) name = initializer.Name;
        else
            throw new InvalidDataException(
                $"{what}: a Gemm weight {TensorInfo.ShapeToText(shape)} without a named bias ('….bias' initializer as C), so it has no parameter name.");
        return new OnnxWeight(name, initializer, Transposed: transB == 0);
    }

    private static void RequireBiasLength(OnnxGraph graph, string bias, long outputs, string what)
    {
        var biasInitializer = graph.Initializer(bias)!;
        var shape = OnnxTensorData.Shape(biasInitializer, graph.What(biasInitializer));
        if (shape is not [var length] || length != outputs)
            throw new InvalidDataException(
                $"{what}: its bias '{bias}' has shape {TensorInfo.ShapeToText(shape)}, the weight has {outputs} outputs.");
    }
}
