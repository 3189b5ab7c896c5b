using System.Text.Json;

namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>
/// The parsed, validated header of a safetensors file: an 8-byte little-endian length, then that many bytes of JSON
/// mapping each tensor name to its <c>dtype</c>, <c>shape</c> and <c>data_offsets</c> (plus an optional
/// <c>__metadata__</c> of string pairs), then the data section.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>Bytes of the length prefix before the JSON header.</summary>
    public const int LengthPrefixBytes = sizeof(ulong);

    /// <summary>Largest JSON header accepted (100 MB, as the reference implementation), so a hostile length cannot exhaust memory.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The key of the free-form string metadata in the header.</summary>
    public const string MetadataKey = "__metadata__";

    private readonly Dictionary<string, SafetensorsEntry> _byName;

    private SafetensorsHeader(List<SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata, long dataStart)
    {
        Entries = entries;
        Metadata = metadata;
        DataStart = dataStart;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The tensors in the order their data is stored.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> string pairs (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Offset of the data section from the start of the file.</summary>
    public long DataStart { get; }

    /// <summary>The entry of a named tensor.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has this name.</exception>
    public SafetensorsEntry this[string name] =>
        _byName.TryGetValue(name, out var entry) ? entry : throw new KeyNotFoundException($"No tensor named '{name}'.");

    /// <summary>Whether a tensor of this name is listed.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>
    /// Parses and validates a header: JSON size bounded and inside the file, known types, every offset inside the
    /// data section, byte sizes equal to shape × element size, no two tensors overlapping, no repeated names.
    /// </summary>
    /// <param name="prefix">The first <see cref="LengthPrefixBytes"/> bytes of the file.</param>
    /// <param name="readJson">Reads the given number of bytes that follow the prefix.</param>
    /// <param name="fileLength">Total length of the file.</param>
    /// <param name="location">The file, for error messages.</param>
    /// <exception cref="InvalidDataException">Any check fails; the message names the file and the tensor.</exception>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> prefix, Func<int, byte[]> readJson, long fileLength, string location)
    {
        if (fileLength < LengthPrefixBytes || prefix.Length < LengthPrefixBytes)
            throw new InvalidDataException($"{location}: too short to be a safetensors file ({fileLength} bytes).");
        var headerLength = BitConverter.ToUInt64(prefix[..LengthPrefixBytes]);
        if (headerLength > MaxHeaderBytes)
            throw new InvalidDataException($"{location}: header length {headerLength} exceeds the limit of {MaxHeaderBytes} bytes.");
        var dataStart = LengthPrefixBytes + (long)headerLength;
        if (dataStart > fileLength)
            throw new InvalidDataException($"{location}: header length {headerLength} runs past the end of the file ({fileLength} bytes).");
        var json = readJson((int)headerLength);
        if (json.Length == 0 || json[0] != (byte)'{')
            throw new InvalidDataException($"{location}: the header is not a JSON object.");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{location}: the header is not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            var dataLength = fileLength - dataStart;
            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new InvalidDataException($"{location}: '{property.Name}' appears twice in the header.");
                if (property.Name == MetadataKey)
                    ReadMetadata(property.Value, metadata, location);
                else
                    entries.Add(ReadEntry(property.Name, property.Value, dataLength, location));
            }
            entries.Sort(static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            for (var i = 1; i < entries.Count; i++)
            {
                if (entries[i].Begin < entries[i - 1].End)
                    throw new InvalidDataException(
                        $"{location}: tensors '{entries[i - 1].Name}' and '{entries[i].Name}' overlap in the data section.");
            }
            return new SafetensorsHeader(entries, metadata, dataStart);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string location)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{location}: {MetadataKey} must be an object of strings.");
        foreach (var pair in value.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{location}: {MetadataKey}['{pair.Name}'] must be a string.");
            metadata[pair.Name] = pair.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement value, long dataLength, string location)
    {
        var what = $"{location}: tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{what} needs a string 'dtype', an array 'shape' and an array 'data_offsets'.");
        if (!TensorDTypes.TryParseSafetensorsName(dtypeElement.GetString()!, out var dtype))
            throw new InvalidDataException($"{what} has an unsupported dtype '{dtypeElement.GetString()}'.");

        var shape = new List<long>();
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var size) || size < 0)
                throw new InvalidDataException($"{what} has a shape entry that is not a non-negative integer.");
            shape.Add(size);
        }
        var offsets = offsetsElement.EnumerateArray()
            .Select(o => o.ValueKind == JsonValueKind.Number && o.TryGetInt64(out var v) && v >= 0 ? v : -1).ToArray();
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
            throw new InvalidDataException($"{what}: data_offsets must be two non-negative integers [begin, end] with begin <= end.");
        if (offsets[1] > dataLength)
            throw new InvalidDataException(
                $"{what}: data_offsets [{offsets[0]}, {offsets[1]}] run past the data section ({dataLength} bytes).");

        var info = new TensorInfo(dtype, shape);
        long expectedBytes;
        try
        {
            expectedBytes = checked(info.ElementCount * dtype.SizeOf());
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{what}: shape {info.ShapeText} is too large.");
        }
        if (offsets[1] - offsets[0] != expectedBytes)
            throw new InvalidDataException(
                $"{what}: shape {info.ShapeText} of {dtype.SafetensorsName()} needs {expectedBytes} bytes, data_offsets give {offsets[1] - offsets[0]}.");
        return new SafetensorsEntry(name, info, offsets[0], offsets[1]);
    }
}
