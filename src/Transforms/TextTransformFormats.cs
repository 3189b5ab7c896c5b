namespace MLNet.Transformers.Transforms;

/// <summary>The entry layout of the text transforms in ML.NET's model zip, shared by every transform of this assembly.</summary>
internal static class TextTransformFormats
{
    /// <summary>The layout written now, and the oldest one read (1.1: the first on ML.NET's zip).</summary>
    public const uint Version = 0x00010001;

    /// <summary>
    /// The tokenization's layout written now (1.2: its settings may pad to a fixed length, which a 1.1 reader would
    /// ignore, so 1.1 builds refuse it); 1.1 layouts still load, unpadded.
    /// </summary>
    public const uint TokenizationVersion = 0x00010002;
}
