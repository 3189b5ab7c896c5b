using System.IO.Compression;

namespace MLNet.Transformers.Data;

/// <summary>
/// A read-only view of one zip entry that holds it to its declared length: more bytes, fewer bytes or damaged
/// compressed data become a <see cref="ModelFormatException"/> naming the entry.
/// </summary>
internal sealed class CheckedEntryStream(Stream inner, long declaredLength, string name) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => declaredLength;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        try { n = inner.Read(buffer); }
        catch (InvalidDataException e) { throw new ModelFormatException($"{name} is corrupt ({e.Message}).", e); }
        _read += n;
        if (_read > declaredLength)
            throw new ModelFormatException($"{name} holds more than the {declaredLength} bytes it declares: the file is corrupt or hostile.");
        if (n == 0 && buffer.Length > 0 && _read < declaredLength)
            throw new ModelFormatException($"{name} ends after {_read} of its {declaredLength} bytes: the file is truncated.");
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
