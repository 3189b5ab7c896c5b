using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Onnx;

/// <summary>Reads a node's attributes by name, with the operator's default when absent.</summary>
internal static class OnnxAttributes
{
    /// <summary>The attribute named <paramref name="name"/>, or null.</summary>
    public static AttributeProto? Find(this NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    /// <summary>An integer attribute, or <paramref name="fallback"/> when absent.</summary>
    public static long Int(this NodeProto node, string name, long fallback) => node.Find(name)?.I ?? fallback;

    /// <summary>A float attribute, or <paramref name="fallback"/> when absent.</summary>
    public static float Float(this NodeProto node, string name, float fallback) => node.Find(name)?.F ?? fallback;

    /// <summary>The input of a two-input node other than <paramref name="value"/>, or null when it is not one of them.</summary>
    public static string? OtherInput(this NodeProto node, string value) =>
        node.Input.Count != 2 ? null
        : node.Input[0] == value ? node.Input[1]
        : node.Input[1] == value ? node.Input[0]
        : null;
}
