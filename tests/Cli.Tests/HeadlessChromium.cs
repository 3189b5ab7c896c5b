using System.Diagnostics;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// Debian's <c>chromium</c> in headless mode: loads a page, runs its scripts and returns the DOM they leave. CI
/// (<c>.ci/run</c>, which sets <c>CI</c>) installs it, so there a missing browser fails the test; elsewhere it makes
/// the test inconclusive, naming the package to install.
/// </summary>
internal static class HeadlessChromium
{
    private const string Executable = "chromium";

    /// <summary>How long a page may take to load and render.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The DOM of <paramref name="url"/> after its scripts ran (<c>--dump-dom</c>).</summary>
    public static string DumpDom(string url)
    {
        var browser = Find();
        var profile = Directory.CreateTempSubdirectory("mlnet-chromium-").FullName;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(browser,
                ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", $"--user-data-dir={profile}", "--dump-dom", url])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{Executable} did not finish loading {url} within {Timeout.TotalSeconds} s.");
            }
            Assert.AreEqual(0, process.ExitCode, $"{Executable} failed: {error.Result}");
            return output.Result;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static string Find()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, Executable)).FirstOrDefault(File.Exists);
        if (found is not null) return found;
        var message = $"No {Executable} on PATH: install Debian's chromium package (apt-get install chromium) to check pages in a real browser.";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) Assert.Fail(message + " CI installs it in .ci/run.");
        Assert.Inconclusive(message);
        return "";
    }
}
