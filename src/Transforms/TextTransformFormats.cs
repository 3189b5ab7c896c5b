namespace MLNet.Transformers.Transforms;

/// <summary>The entry layout of the text transforms in ML.NET's model zip, shared by every transform of this assembly.</summary>
internal static class TextTransformFormats
{
    /// <summary>The layout written now, and the oldest one read (1.1: the first on ML.NET's zip).</summary>
    public const uint Version = 0x00010001;
}
