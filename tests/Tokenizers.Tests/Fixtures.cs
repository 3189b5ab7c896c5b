using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>Paths of this project's committed fixtures and of the reference script.</summary>
internal static class Fixtures
{
    /// <summary>A file under <c>tests/Tokenizers.Tests/fixtures</c>.</summary>
    public static string Path(string name) => TestPaths.Fixture("Tokenizers.Tests", "fixtures", name);

    /// <summary>The script that prints the reference's canonical lines of one corpus.</summary>
    public static string EncodeCorpusScript => System.IO.Path.Combine(TestPaths.RepoRoot, "tools", "reference", "tokenizers", "encode-corpus.js");

    /// <summary>Whether the Node.js reference (Hugging Face tokenizers) is installed.</summary>
    public static bool ReferenceInstalled => Directory.Exists(
        System.IO.Path.Combine(TestPaths.RepoRoot, "tools", "reference", "node", "node_modules", "@anush008", "tokenizers"));
}
