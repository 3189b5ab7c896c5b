namespace MLNet.Transformers.Tests.Common;

/// <summary>Locates the repository root (for committed fixtures) and the shared data folder beside the checkout.</summary>
internal static class TestPaths
{
    private const string SolutionFile = "MLNet.Transformers.sln";
    private const string SharedMarker = "DESIGN.md";

    /// <summary>The repository root: the nearest ancestor of the test binaries that holds the solution file.</summary>
    public static string RepoRoot { get; } = FindUp(dir => File.Exists(Path.Combine(dir, SolutionFile)))
        ?? throw new InvalidOperationException($"No ancestor of {AppContext.BaseDirectory} holds {SolutionFile}.");

    /// <summary>The shared data folder (a <c>shared/</c> folder beside or above the checkout), or null when absent.</summary>
    public static string? Shared { get; } = FindUp(dir => File.Exists(Path.Combine(dir, "shared", SharedMarker))) is { } parent
        ? Path.Combine(parent, "shared")
        : null;

    /// <summary>A path under the repository's <c>tests/</c> folder.</summary>
    public static string Fixture(params string[] parts) => Path.Combine([RepoRoot, "tests", .. parts]);

    /// <summary>A path under the shared folder; marks the test inconclusive when the shared folder is missing.</summary>
    public static string SharedPath(params string[] parts)
    {
        if (Shared is null) Assert.Inconclusive("The shared data folder is not beside this checkout.");
        return Path.Combine([Shared!, .. parts]);
    }

    private static string? FindUp(Func<string, bool> match)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (match(dir.FullName)) return dir.FullName;
        return null;
    }
}
