using System.IO.MemoryMappedFiles;

namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>
/// A safetensors file opened read-only through a memory map: the header is parsed and validated on open, tensor
/// bytes are paged in only when read.
/// </summary>
public sealed unsafe class SafetensorsReader : ITensorSource
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _length;
    private bool _disposed;

    private SafetensorsReader(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, long length)
    {
        Location = path;
        _file = file;
        _view = view;
        _length = length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
        Header = SafetensorsHeader.Parse(Bytes(0, Math.Min(length, SafetensorsHeader.LengthPrefixBytes)),
            count => Bytes(SafetensorsHeader.LengthPrefixBytes, count).ToArray(), length, path);
        Names = [.. Header.Entries.Select(e => e.Name)];
    }

    /// <summary>Opens and validates a safetensors file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header fails validation (see <see cref="SafetensorsHeader.Parse"/>).</exception>
    public static SafetensorsReader Open(string path)
    {
        var length = new FileInfo(path) is { Exists: true } info
            ? info.Length
            : throw new FileNotFoundException($"{path}: file not found.", path);
        if (length < SafetensorsHeader.LengthPrefixBytes)
            throw new InvalidDataException($"{path}: too short to be a safetensors file ({length} bytes).");
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            try
            {
                return new SafetensorsReader(path, file, view, length);
            }
            catch
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
                view.Dispose();
                throw;
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The validated header.</summary>
    public SafetensorsHeader Header { get; }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <inheritdoc />
    public TensorInfo Describe(string name) => Header[name].Info;

    /// <summary>The stored bytes of a tensor, straight from the memory map (valid until the reader is disposed).</summary>
    /// <exception cref="KeyNotFoundException">No tensor has this name.</exception>
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        var entry = Header[name];
        return Bytes(Header.DataStart + entry.Begin, entry.ByteLength);
    }

    /// <inheritdoc />
    public void Read(string name, Span<float> destination) =>
        FloatConversion.ToSingle(GetBytes(name), Header[name].Info.DType, destination, $"{Location}: tensor '{name}'");

    /// <summary>Reads a floating-point tensor into a new float array.</summary>
    public float[] ReadSingle(string name)
    {
        var values = new float[checked((int)Header[name].Info.ElementCount)];
        Read(name, values);
        return values;
    }

    private ReadOnlySpan<byte> Bytes(long offset, long count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count > int.MaxValue)
            throw new InvalidDataException($"{Location}: a tensor of {count} bytes exceeds the 2 GB a single read supports.");
        if (offset < 0 || offset + count > _length)
            throw new InvalidDataException($"{Location}: bytes [{offset}, {offset + count}) lie outside the file ({_length} bytes).");
        return new ReadOnlySpan<byte>(_base + offset, (int)count);
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
