using System.Diagnostics;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>Runs the built <c>mlnet-transformers</c> tool in a child process, as outside scripts do.</summary>
internal static class CliRunner
{
    private static readonly string ToolPath = Path.Combine(AppContext.BaseDirectory, "mlnet-transformers.dll");

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Result Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [ToolPath, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result);
    }
}
