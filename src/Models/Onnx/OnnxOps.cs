namespace MLNet.Transformers.Models.Onnx;

/// <summary>Names of the ONNX operators and attributes the reader follows through a graph and the exporter writes.</summary>
internal static class OnnxOps
{
    public const string MatMul = "MatMul";
    public const string Gemm = "Gemm";
    public const string Add = "Add";
    public const string Reshape = "Reshape";
    public const string Concat = "Concat";
    public const string Constant = "Constant";
    public const string Unsqueeze = "Unsqueeze";
    public const string Squeeze = "Squeeze";
    public const string Identity = "Identity";
    public const string Cast = "Cast";
    public const string Sqrt = "Sqrt";
    public const string ReduceMean = "ReduceMean";
    public const string Erf = "Erf";
    public const string Gelu = "Gelu";
    public const string CumSum = "CumSum";
    public const string LayerNormalization = "LayerNormalization";
    public const string Gather = "Gather";
    public const string Shape = "Shape";
    public const string Slice = "Slice";
    public const string Transpose = "Transpose";
    public const string Sub = "Sub";
    public const string Mul = "Mul";
    public const string Div = "Div";
    public const string Max = "Max";
    public const string Pow = "Pow";
    public const string Tanh = "Tanh";
    public const string Relu = "Relu";
    public const string Softmax = "Softmax";
    public const string Equal = "Equal";
    public const string Not = "Not";
    public const string Where = "Where";
    public const string ReduceSum = "ReduceSum";
    public const string ReduceMax = "ReduceMax";
    public const string ReduceL2 = "ReduceL2";

    /// <summary>The axis attribute (Gather, Concat, Softmax, LayerNormalization), Transpose's permutation, Cast's target type.</summary>
    public const string Axis = "axis", Perm = "perm", To = "to";

    /// <summary>Reduce attributes: the axes (an attribute of ReduceMax and ReduceL2 until opset 18) and whether they are kept.</summary>
    public const string Axes = "axes", KeepDims = "keepdims";

    /// <summary>Shape's first and one-past-last dimension (opset 15).</summary>
    public const string Start = "start", End = "end";

    /// <summary>Gemm's attributes: Y = alpha · op(A) · op(B) + beta · C.</summary>
    public const string Alpha = "alpha", Beta = "beta", TransA = "transA", TransB = "transB";

    /// <summary>LayerNormalization's epsilon attribute and its default when absent.</summary>
    public const string Epsilon = "epsilon";

    /// <summary>LayerNormalization's epsilon when the node does not set one.</summary>
    public const float DefaultLayerNormalizationEpsilon = 1e-5f;

    /// <summary>Constant's value attributes.</summary>
    public const string Value = "value", ValueInt = "value_int", ValueInts = "value_ints", ValueFloat = "value_float",
        ValueFloats = "value_floats";

    /// <summary>Gemm's default alpha and beta.</summary>
    public const float GemmDefaultScale = 1f;
}
