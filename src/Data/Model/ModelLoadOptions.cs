namespace MLNet.Transformers.Data;

/// <summary>Limits a model file must respect to be loaded; anything beyond them is refused before it is read.</summary>
public sealed class ModelLoadOptions
{
    /// <summary>The largest uncompressed entry accepted. Default 16 GiB: room for the weights of large encoders.</summary>
    public long MaxEntryBytes { get; init; } = 16L << 30;

    /// <summary>The largest manifest accepted. Default 4 MiB.</summary>
    public long MaxManifestBytes { get; init; } = 4L << 20;

    /// <summary>The most entries accepted. Default 100 000.</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>The defaults.</summary>
    public static ModelLoadOptions Default { get; } = new();
}
