namespace MLNet.Transformers.Data.Tests;

/// <summary>A temporary directory removed when disposed.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlnet-data-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name, string? contents = null)
    {
        var path = System.IO.Path.Combine(Path, name);
        if (contents is not null) System.IO.File.WriteAllText(path, contents);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
