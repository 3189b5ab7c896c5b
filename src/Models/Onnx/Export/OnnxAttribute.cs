using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>Node attributes as ONNX stores them: the value and the type code that says which value field is set.</summary>
internal static class OnnxAttribute
{
    /// <summary>ONNX's <c>AttributeProto.AttributeType</c> codes.</summary>
    private const int FloatType = 1, IntType = 2, IntsType = 7;

    /// <summary>A float attribute.</summary>
    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = FloatType, F = value };

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = IntType, I = value };

    /// <summary>A list-of-integers attribute (a permutation, axes).</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = IntsType };
        attribute.Ints.Add(values);
        return attribute;
    }
}
