using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>
/// A safetensors file opened read-only: through a memory map (<see cref="Open"/>: the header is parsed and
/// validated on open, tensor bytes are paged in only when read) or from a stream read into memory
/// (<see cref="Load"/>, e.g. a zip entry).
/// </summary>
public sealed unsafe class SafetensorsReader : ITensorSource
{
    private readonly byte* _base;
    private readonly long _length;
    private readonly IDisposable? _owner; // keeps _base valid: the memory map, or nothing for a pinned array
    private bool _disposed;

    private SafetensorsReader(string location, byte* start, long length, IDisposable? owner)
    {
        Location = location;
        _base = start;
        _length = length;
        _owner = owner;
        Header = SafetensorsHeader.Parse(Bytes(0, Math.Min(length, SafetensorsHeader.LengthPrefixBytes)),
            count => Bytes(SafetensorsHeader.LengthPrefixBytes, count).ToArray(), length, location);
        Names = [.. Header.Entries.Select(e => e.Name)];
    }

    /// <summary>Opens and validates a safetensors file through a memory map.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header fails validation (see <see cref="SafetensorsHeader.Parse"/>).</exception>
    public static SafetensorsReader Open(string path)
    {
        // A symbolic link (Hugging Face's cache links snapshots to blobs) has a length of its own: measure its target.
        var file = new FileInfo(path);
        var length = (file.ResolveLinkTarget(returnFinalTarget: true) ?? file) is FileInfo { Exists: true } target
            ? target.Length
            : throw new FileNotFoundException($"{path}: file not found.", path);
        if (length < SafetensorsHeader.LengthPrefixBytes)
            throw new InvalidDataException($"{path}: too short to be a safetensors file ({length} bytes).");
        var map = new MappedFile(path);
        try
        {
            return new SafetensorsReader(path, map.Start, length, map);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>Reads a whole safetensors stream into memory and validates it; <paramref name="location"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">The header fails validation (see <see cref="SafetensorsHeader.Parse"/>).</exception>
    public static SafetensorsReader Load(Stream stream, string location)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        if (copy.Length < SafetensorsHeader.LengthPrefixBytes)
            throw new InvalidDataException($"{location}: too short to be a safetensors file ({copy.Length} bytes).");
        var bytes = GC.AllocateUninitializedArray<byte>((int)copy.Length, pinned: true); // the address never moves
        copy.GetBuffer().AsSpan(0, bytes.Length).CopyTo(bytes);
        return new SafetensorsReader(location, (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(bytes)), bytes.Length,
            new PinnedBytes(bytes));
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

    /// <summary>Unmaps the file (or releases the in-memory copy).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _owner?.Dispose();
    }

    /// <summary>A read-only memory map of a whole file and the pointer to its first byte.</summary>
    private sealed class MappedFile : IDisposable
    {
        private readonly MemoryMappedFile _file;
        private readonly MemoryMappedViewAccessor _view;

        public MappedFile(string path)
        {
            _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            Start = pointer + _view.PointerOffset;
        }

        public byte* Start { get; }

        public void Dispose()
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file.Dispose();
        }
    }

    /// <summary>Keeps a pinned array reachable for as long as the reader uses its address.</summary>
    private sealed class PinnedBytes(byte[] bytes) : IDisposable
    {
        private byte[]? _bytes = bytes;

        public void Dispose() => _bytes = null;
    }
}
