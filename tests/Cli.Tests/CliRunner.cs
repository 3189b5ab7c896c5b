using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>Runs the built <c>mlnet-transformers</c> tool in a child process, as outside scripts do.</summary>
internal static class CliRunner
{
    private static readonly string ToolPath = Path.Combine(AppContext.BaseDirectory, "mlnet-transformers.dll");

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>
    /// Runs the tool, and once a line of its standard output starts with <paramref name="linePrefix"/> sends it SIGINT
    /// (what Ctrl+C sends), as a user interrupting it would.
    /// </summary>
    public static Result RunAndInterrupt(string linePrefix, params string[] arguments)
    {
        using var process = Start(arguments);
        var error = process.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        var interrupted = false;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            output.AppendLine(line);
            if (!interrupted && line.StartsWith(linePrefix, StringComparison.Ordinal))
            {
                interrupted = true;
                Assert.AreEqual(0, Kill(process.Id, SignalInterrupt), "sending SIGINT");
            }
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString(), error.Result);
    }

    private const int SignalInterrupt = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public static Result Run(params string[] arguments)
    {
        using var process = Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    private static Process Start(string[] arguments) => Process.Start(new ProcessStartInfo("dotnet", [ToolPath, .. arguments])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    })!;
}
