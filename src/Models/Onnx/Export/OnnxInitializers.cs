using System.Runtime.InteropServices;
using Google.Protobuf;
using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// Constant tensors as an export stores them: elements in <c>raw_data</c> as little-endian bytes (ONNX's layout,
/// and the CPU's: big-endian machines are refused), row-major, with their dimensions.
/// </summary>
internal static class OnnxInitializers
{
    /// <summary>A float tensor of shape <paramref name="dims"/> holding <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">The values do not fill the shape.</exception>
    public static TensorProto Floats(string name, ReadOnlySpan<float> values, params long[] dims) =>
        Create(name, OnnxDataType.Float, MemoryMarshal.AsBytes(values), values.Length, dims);

    /// <summary>An int64 tensor of shape <paramref name="dims"/> holding <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">The values do not fill the shape.</exception>
    public static TensorProto Int64s(string name, ReadOnlySpan<long> values, params long[] dims) =>
        Create(name, OnnxDataType.Int64, MemoryMarshal.AsBytes(values), values.Length, dims);

    private static TensorProto Create(string name, int dataType, ReadOnlySpan<byte> bytes, int count, long[] dims)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Writing ONNX tensors needs a little-endian CPU.");
        if (dims.Aggregate(1L, (product, d) => product * d) != count)
            throw new ArgumentException($"Tensor '{name}' has {count} elements, which do not fill its shape ({string.Join(", ", dims)}).");
        var tensor = new TensorProto { Name = name, DataType = dataType, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.Add(dims);
        return tensor;
    }
}
