using System.Buffers.Binary;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Onnx;

/// <summary>
/// Type, shape and elements of an ONNX <c>TensorProto</c> stored inside the model: in <c>raw_data</c> (little-endian
/// bytes) or in a typed field (<c>float_data</c>, <c>double_data</c>, <c>int32_data</c>, <c>int64_data</c>). Tensors
/// whose data lives in an external file are refused.
/// </summary>
internal static class OnnxTensorData
{
    /// <summary>ONNX's value of <c>data_location</c> for data in an external file.</summary>
    private const int ExternalDataLocation = 1;

    /// <summary>The key of an external data entry that names the file.</summary>
    private const string ExternalLocationKey = "location";

    /// <summary>Bits of a half or bfloat16 element, stored one per <c>int32_data</c> value.</summary>
    private const int HalfBits = 16;

    /// <summary>The element type, or an error naming the tensor and its ONNX type code.</summary>
    public static TensorDType DType(TensorProto tensor, string what) =>
        OnnxDataType.ToDType(tensor.DataType)
        ?? throw new InvalidDataException($"{what}: ONNX element type {tensor.DataType} is not supported.");

    /// <summary>The stored dimensions, checked to be non-negative.</summary>
    public static long[] Shape(TensorProto tensor, string what)
    {
        var shape = tensor.Dims.ToArray();
        if (shape.Any(d => d < 0)) throw new InvalidDataException($"{what}: negative dimension in {TensorInfo.ShapeToText(shape)}.");
        return shape;
    }

    /// <summary>Type and shape as a checkpoint describes a tensor.</summary>
    public static TensorInfo Info(TensorProto tensor, string what) => new(DType(tensor, what), Shape(tensor, what));

    /// <summary>Whether the tensor's elements live in a file beside the model rather than inside it.</summary>
    public static bool IsExternal(TensorProto tensor) =>
        tensor.DataLocation == ExternalDataLocation || tensor.ExternalData.Count > 0;

    /// <summary>Throws when the tensor's data is external, naming the file it points to.</summary>
    public static void EnsureInline(TensorProto tensor, string what)
    {
        if (!IsExternal(tensor)) return;
        var file = tensor.ExternalData.FirstOrDefault(e => e.Key == ExternalLocationKey)?.Value ?? "unnamed";
        throw new InvalidDataException(
            $"{what}: its data is stored outside the model (external data in '{file}'), which is not supported; export the model with its weights inside the .onnx file.");
    }

    /// <summary>Reads a floating-point tensor into <paramref name="destination"/>, which must hold exactly its elements.</summary>
    /// <exception cref="InvalidDataException">The tensor is external, not floating point, or holds another number of elements.</exception>
    public static void ReadFloats(TensorProto tensor, Span<float> destination, string what)
    {
        EnsureInline(tensor, what);
        var info = Info(tensor, what);
        if (!info.DType.IsFloatingPoint())
            throw new InvalidDataException($"{what}: a {info.DType.SafetensorsName()} tensor cannot be read as floats.");
        if (info.ElementCount != destination.Length)
            throw new InvalidDataException($"{what}: shape {info.ShapeText} holds {info.ElementCount} elements, the destination {destination.Length}.");
        if (!tensor.RawData.IsEmpty)
        {
            FloatConversion.ToSingle(tensor.RawData.Span, info.DType, destination, what);
            return;
        }
        var stored = info.DType switch
        {
            TensorDType.F32 => tensor.FloatData.Count,
            TensorDType.F64 => tensor.DoubleData.Count,
            _ => tensor.Int32Data.Count,
        };
        if (stored != destination.Length)
            throw new InvalidDataException($"{what}: holds {stored} values, its shape {info.ShapeText} needs {info.ElementCount}.");
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = info.DType switch
            {
                TensorDType.F32 => tensor.FloatData[i],
                TensorDType.F64 => (float)tensor.DoubleData[i],
                TensorDType.F16 => (float)BitConverter.UInt16BitsToHalf((ushort)tensor.Int32Data[i]),
                _ => BitConverter.Int32BitsToSingle(tensor.Int32Data[i] << HalfBits), // BF16: the upper half of a float
            };
        }
    }

    /// <summary>Reads a floating-point tensor into a new array.</summary>
    public static float[] ReadFloats(TensorProto tensor, string what)
    {
        var values = new float[checked((int)Info(tensor, what).ElementCount)];
        ReadFloats(tensor, values, what);
        return values;
    }

    /// <summary>Reads a 64- or 32-bit integer tensor (shapes, axes, indices) as longs.</summary>
    /// <exception cref="InvalidDataException">The tensor is external, not an integer tensor, or its size is wrong.</exception>
    public static long[] ReadInt64s(TensorProto tensor, string what)
    {
        EnsureInline(tensor, what);
        var info = Info(tensor, what);
        var count = checked((int)info.ElementCount);
        if (info.DType is not (TensorDType.I64 or TensorDType.I32))
            throw new InvalidDataException($"{what}: a {info.DType.SafetensorsName()} tensor cannot be read as integers.");
        var size = info.DType.SizeOf();
        if (!tensor.RawData.IsEmpty)
        {
            var bytes = tensor.RawData.Span;
            if (bytes.Length != (long)count * size)
                throw new InvalidDataException($"{what}: holds {bytes.Length} bytes, its shape {info.ShapeText} needs {(long)count * size}.");
            return [.. Enumerable.Range(0, count).Select(i => info.DType == TensorDType.I64
                ? BinaryPrimitives.ReadInt64LittleEndian(tensor.RawData.Span[(i * size)..])
                : BinaryPrimitives.ReadInt32LittleEndian(tensor.RawData.Span[(i * size)..]))];
        }
        long[] values = info.DType == TensorDType.I64 ? [.. tensor.Int64Data] : [.. tensor.Int32Data.Select(v => (long)v)];
        if (values.Length != count)
            throw new InvalidDataException($"{what}: holds {values.Length} values, its shape {info.ShapeText} needs {count}.");
        return values;
    }
}
