namespace MLNet.Transformers.Data;

/// <summary>One or more streams read one after another as a single table (the files of a <see cref="TextLoader"/>).</summary>
public interface IMultiStreamSource
{
    /// <summary>The number of streams.</summary>
    int Count { get; }

    /// <summary>The path of stream <paramref name="index"/> (used in error messages), or null when it has none.</summary>
    string? GetPathOrNull(int index);

    /// <summary>Opens stream <paramref name="index"/> for reading from the start.</summary>
    Stream Open(int index);
}

/// <summary>Files read one after another.</summary>
public sealed class MultiFileSource : IMultiStreamSource
{
    private readonly string[] _paths;

    /// <summary>A source over <paramref name="paths"/>; each must exist.</summary>
    public MultiFileSource(params string[] paths)
    {
        foreach (var path in paths)
            if (!File.Exists(path)) throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        _paths = paths;
    }

    /// <inheritdoc />
    public int Count => _paths.Length;

    /// <inheritdoc />
    public string? GetPathOrNull(int index) => _paths[index];

    /// <inheritdoc />
    public Stream Open(int index) => new FileStream(_paths[index], FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
}
