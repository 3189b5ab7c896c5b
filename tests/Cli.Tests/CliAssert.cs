namespace MLNet.Transformers.Cli.Tests;

/// <summary>The error convention every command keeps, asserted in one place.</summary>
internal static class CliAssert
{
    /// <summary>
    /// Exit code 2, exactly one line on stderr that contains every one of <paramref name="mentions"/> and no .NET
    /// exception text, and no <paramref name="output"/> file (nor a temporary one beside it) when one is named.
    /// </summary>
    public static void BadInput(CliRunner.Result result, string? output, params string[] mentions)
    {
        Assert.AreEqual(2, result.ExitCode, result.StandardOutput + result.StandardError);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, result.StandardError);
        foreach (var mention in mentions) StringAssert.Contains(lines[0], mention);
        foreach (var leak in new[] { "(Parameter '", "Actual value was", "   at ", "Exception" })
            Assert.DoesNotContain(leak, lines[0], $"no .NET text in: {lines[0]}");
        if (output is null) return;
        Assert.IsFalse(File.Exists(output), $"{output} must not exist");
        Assert.IsEmpty(Directory.GetFiles(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}*"), "no temporary file left");
    }
}
