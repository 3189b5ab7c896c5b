using System.Buffers;
using System.Text.Unicode;

namespace MLNet.Transformers.Cli.Common;

/// <summary>
/// Refuses input files that are not UTF-8 text (an image, a zip, a model, UTF-16 text...) before any work, by looking
/// at their first block: a NUL byte or a byte sequence that is not UTF-8 is a user mistake naming the file and the
/// byte. Without this, a binary file reads as a few "lines" of junk and gives garbage predictions or column names.
/// </summary>
internal static class TextFileCheck
{
    /// <summary>How much of the file is looked at: enough to see a binary header, cheap for any file size.</summary>
    private const int BlockSize = 64 * 1024;

    private static ReadOnlySpan<byte> Utf16LittleEndianMark => [0xFF, 0xFE];

    private static ReadOnlySpan<byte> Utf16BigEndianMark => [0xFE, 0xFF];

    /// <summary>Throws a <see cref="UserInputException"/> unless the start of <paramref name="path"/> is UTF-8 text.</summary>
    public static void RequireText(string path)
    {
        var block = new byte[BlockSize];
        int length;
        using (var stream = File.OpenRead(path)) length = stream.ReadAtLeast(block, BlockSize, throwOnEndOfStream: false);
        var bytes = block.AsSpan(0, length);
        if (bytes.StartsWith(Utf16LittleEndianMark) || bytes.StartsWith(Utf16BigEndianMark))
            throw new UserInputException($"{path}: UTF-16 text; save it as UTF-8.");
        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0) throw new UserInputException($"{path}: not a text file (a NUL byte at byte {nul + 1}); give UTF-8 text.");
        var invalid = FirstInvalidUtf8(bytes, isWholeFile: length < BlockSize);
        if (invalid >= 0)
            throw new UserInputException($"{path}: not UTF-8 text (byte {invalid + 1} is 0x{bytes[invalid]:X2}, which UTF-8 does not allow there); save it as UTF-8.");
    }

    /// <summary>The offset of the first byte that is not valid UTF-8, or -1; a sequence cut by the block's end is fine.</summary>
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes, bool isWholeFile)
    {
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            var status = Utf8.ToUtf16(bytes, chars, out var read, out _, replaceInvalidSequences: false, isFinalBlock: isWholeFile);
            return status == OperationStatus.InvalidData ? read : -1;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
