namespace MLNet.Transformers.Models.Onnx;

/// <summary>
/// Tells the parameter names an exporter kept (<c>encoder.layer.0.attention.self.query.bias</c>) from the names it
/// made up for folded constants (<c>onnx::MatMul_1234</c>, <c>/encoder/Constant_output_0</c>, <c>1234</c>), and names a
/// dense weight after its bias.
/// </summary>
internal static class OnnxParameterNames
{
    private const string GeneratedPrefix = "onnx::";
    private const char NodePathPrefix = '/';
    private const char Separator = '.';
    private const string BiasSuffix = ".bias";
    private const string WeightSuffix = ".weight";

    /// <summary>Whether <paramref name="name"/> is a module parameter's dotted name rather than one an exporter generated.</summary>
    public static bool IsParameterName(string name) =>
        name.Contains(Separator) && !name.StartsWith(GeneratedPrefix, StringComparison.Ordinal) && name[0] != NodePathPrefix;

    /// <summary>Whether <paramref name="name"/> is a parameter name ending in <c>.bias</c>.</summary>
    public static bool IsBias(string name) => IsParameterName(name) && name.EndsWith(BiasSuffix, StringComparison.Ordinal);

    /// <summary>The weight beside a bias: <c>X.bias</c> gives <c>X.weight</c>.</summary>
    public static string WeightOf(string bias) => bias[..^BiasSuffix.Length] + WeightSuffix;
}
