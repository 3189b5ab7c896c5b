using System.Text;
using System.Text.Json;

namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>
/// Writes float tensors as a safetensors file: data in the order given, the JSON header padded with spaces to a
/// multiple of 8 bytes so every tensor starts aligned. The file appears complete or not at all.
/// </summary>
public static class SafetensorsWriter
{
    private const int HeaderAlignment = 8;

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/>, stored as <paramref name="dtype"/>.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">The tensors; names must be unique and each value count must match its shape.</param>
    /// <param name="dtype">F32 (default, bit-exact), F16 or BF16 (rounded to nearest even).</param>
    /// <param name="metadata">Optional <c>__metadata__</c> string pairs, e.g. <c>format: pt</c>.</param>
    /// <exception cref="ArgumentException">A name repeats, or a value count does not match its shape.</exception>
    public static void Write(string path, IEnumerable<NamedTensor> tensors, TensorDType dtype = TensorDType.F32,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        RequireWritable(dtype);
        var list = tensors.ToList();
        var header = BuildHeader(list, dtype, metadata);
        var temporary = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
                WriteBody(stream, list, header, dtype);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes the safetensors bytes of <paramref name="tensors"/> to a stream (e.g. a zip entry).</summary>
    /// <exception cref="ArgumentException">A name repeats, or a value count does not match its shape.</exception>
    public static void Write(Stream stream, IEnumerable<NamedTensor> tensors, TensorDType dtype = TensorDType.F32,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        RequireWritable(dtype);
        var list = tensors.ToList();
        WriteBody(stream, list, BuildHeader(list, dtype, metadata), dtype);
    }

    private static void RequireWritable(TensorDType dtype)
    {
        if (dtype is not (TensorDType.F32 or TensorDType.F16 or TensorDType.BF16))
            throw new ArgumentException($"Tensors can be written as F32, F16 or BF16, not {dtype}.", nameof(dtype));
    }

    private static void WriteBody(Stream stream, List<NamedTensor> tensors, byte[] header, TensorDType dtype)
    {
        stream.Write(BitConverter.GetBytes((ulong)header.Length));
        stream.Write(header);
        var buffer = Array.Empty<byte>();
        foreach (var tensor in tensors)
        {
            var byteCount = tensor.Values.Length * dtype.SizeOf();
            if (buffer.Length < byteCount) buffer = new byte[byteCount];
            FloatConversion.FromSingle(tensor.Values.Span, dtype, buffer.AsSpan(0, byteCount));
            stream.Write(buffer, 0, byteCount);
        }
    }

    private static byte[] BuildHeader(List<NamedTensor> tensors, TensorDType dtype, IReadOnlyDictionary<string, string>? metadata)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            var names = new HashSet<string>(StringComparer.Ordinal);
            long offset = 0;
            foreach (var tensor in tensors)
            {
                if (!names.Add(tensor.Name) || tensor.Name == SafetensorsHeader.MetadataKey)
                    throw new ArgumentException($"Tensor name '{tensor.Name}' is repeated or reserved.", nameof(tensors));
                var count = tensor.Shape.Aggregate(1L, static (p, d) => checked(p * d));
                if (count != tensor.Values.Length)
                    throw new ArgumentException(
                        $"Tensor '{tensor.Name}' has shape {TensorInfo.ShapeToText(tensor.Shape.Select(d => (long)d))} but {tensor.Values.Length} values.",
                        nameof(tensors));
                var end = offset + count * dtype.SizeOf();
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", dtype.SafetensorsName());
                writer.WriteStartArray("shape");
                foreach (var dim in tensor.Shape) writer.WriteNumberValue(dim);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
            }
            writer.WriteEndObject();
        }
        var padding = (HeaderAlignment - (int)(json.Length % HeaderAlignment)) % HeaderAlignment;
        return [.. json.ToArray(), .. Encoding.ASCII.GetBytes(new string(' ', padding))];
    }
}
