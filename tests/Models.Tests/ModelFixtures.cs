using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Models.Tests;

/// <summary>Paths of the committed fixtures written by tools/reference/models/make_fixtures.py.</summary>
internal static class ModelFixtures
{
    public static string Folder(string name) => TestPaths.Fixture("Models.Tests", "fixtures", name);

    public static string File(string folder, string name) => Path.Combine(Folder(folder), name);

    /// <summary>A fresh empty temporary directory, deleted by the caller's <c>using</c>.</summary>
    public static TemporaryDirectory Temporary() => new();
}

/// <summary>A temporary directory removed on dispose.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mlnet-models-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
