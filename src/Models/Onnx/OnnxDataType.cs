using MLNet.Transformers.Models.Checkpoints;

namespace MLNet.Transformers.Models.Onnx;

/// <summary>The element type codes of ONNX's <c>TensorProto.DataType</c> and their <see cref="TensorDType"/>.</summary>
internal static class OnnxDataType
{
    public const int Float = 1, UInt8 = 2, Int8 = 3, Int16 = 5, Int32 = 6, Int64 = 7, Bool = 9, Float16 = 10, Double = 11,
        BFloat16 = 16;

    /// <summary>The element type of an ONNX code, or null for one no checkpoint reader here handles (strings, complex, ...).</summary>
    public static TensorDType? ToDType(int code) => code switch
    {
        Float => TensorDType.F32,
        Float16 => TensorDType.F16,
        BFloat16 => TensorDType.BF16,
        Double => TensorDType.F64,
        Int64 => TensorDType.I64,
        Int32 => TensorDType.I32,
        Int16 => TensorDType.I16,
        Int8 => TensorDType.I8,
        UInt8 => TensorDType.U8,
        Bool => TensorDType.Bool,
        _ => null,
    };
}
