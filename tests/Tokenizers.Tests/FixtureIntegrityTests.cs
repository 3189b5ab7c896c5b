using System.Security.Cryptography;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>The committed fixtures are exactly what the reference script wrote (fixtures/SHA256SUMS).</summary>
[TestClass]
public sealed class FixtureIntegrityTests
{
    [TestMethod]
    public void Fixture_files_match_their_pinned_checksums()
    {
        var lines = File.ReadAllLines(Fixtures.Path("SHA256SUMS")).Where(line => line.Length > 0).ToArray();
        Assert.IsGreaterThanOrEqualTo(4, lines.Length, "every fixture file is listed");
        foreach (var line in lines)
        {
            var (expected, name) = (line[..64], line[66..]);
            var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Fixtures.Path(name))));
            Assert.AreEqual(expected, actual, $"fixtures/{name} was edited by hand; rerun tools/reference/tokenizers/write-fixtures.js");
        }
    }
}
