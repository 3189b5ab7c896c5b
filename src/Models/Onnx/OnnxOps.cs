namespace MLNet.Transformers.Models.Onnx;

/// <summary>Names of the ONNX operators and attributes the reader follows through a graph.</summary>
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
