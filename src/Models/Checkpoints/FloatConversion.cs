using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>Conversions between stored little-endian element bytes and floats.</summary>
internal static class FloatConversion
{
    private const int BFloat16Shift = 16;

    /// <summary>Widens (or narrows, for F64) stored elements into floats; the counts must match.</summary>
    public static void ToSingle(ReadOnlySpan<byte> source, TensorDType dtype, Span<float> destination, string what)
    {
        if (!dtype.IsFloatingPoint())
            throw new InvalidDataException($"{what}: a {dtype.SafetensorsName()} tensor cannot be read as floats.");
        if (source.Length != (long)destination.Length * dtype.SizeOf())
            throw new InvalidDataException(
                $"{what}: holds {source.Length / dtype.SizeOf()} elements, the destination {destination.Length}.");
        switch (dtype)
        {
            case TensorDType.F32:
                source.CopyTo(MemoryMarshal.AsBytes(destination));
                break;
            case TensorDType.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case TensorDType.BF16:
                for (var i = 0; i < destination.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(
                        BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]) << BFloat16Shift);
                break;
            default:
                TensorPrimitives.ConvertTruncating<double, float>(MemoryMarshal.Cast<byte, double>(source), destination);
                break;
        }
    }

    /// <summary>Stores floats as <paramref name="dtype"/> elements (F32, F16 or BF16, rounding to nearest even).</summary>
    public static void FromSingle(ReadOnlySpan<float> source, TensorDType dtype, Span<byte> destination)
    {
        switch (dtype)
        {
            case TensorDType.F32:
                MemoryMarshal.AsBytes(source).CopyTo(destination);
                break;
            case TensorDType.F16:
                TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination));
                break;
            case TensorDType.BF16:
                for (var i = 0; i < source.Length; i++)
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], ToBFloat16(source[i]));
                break;
            default:
                throw new ArgumentException($"Tensors can be written as F32, F16 or BF16, not {dtype}.", nameof(dtype));
        }
    }

    private static ushort ToBFloat16(float value)
    {
        var bits = (uint)BitConverter.SingleToInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> BFloat16Shift) | 0x40); // keep it a (quiet) NaN
        var roundingBias = 0x7FFFu + ((bits >> BFloat16Shift) & 1);
        return (ushort)((bits + roundingBias) >> BFloat16Shift);
    }
}
