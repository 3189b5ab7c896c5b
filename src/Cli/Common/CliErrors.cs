using System.Text.Json;
using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Cli.Common;

/// <summary>
/// The error convention of every command: a user mistake prints one line on stderr naming the file (or option) and
/// what is wrong, and exits with <see cref="BadInput"/>; anything else prints one line too and exits with
/// <see cref="Failed"/>. Never a stack trace.
/// </summary>
internal static class CliErrors
{
    /// <summary>The exit code for bad input.</summary>
    public const int BadInput = 2;

    /// <summary>The exit code of a failure that is not the input's fault (a bug to report, the machine out of memory...).</summary>
    public const int Failed = 1;

    /// <summary>Runs a command body, turning every exception into one line on stderr and its exit code.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception error) when (IsUserMistake(error))
        {
            Console.Error.WriteLine($"error: {OneLine(error.Message)}");
            return BadInput;
        }
        catch (Exception error)
        {
            Console.Error.WriteLine($"error: {OneLine(Innermost(error).Message)} (an unexpected {Innermost(error).GetType().Name}; please report it).");
            return Failed;
        }
    }

    /// <summary>An argument exception's message without the <c>(Parameter '...')</c> suffix .NET appends, on one line.</summary>
    public static string MessageOf(ArgumentException error) =>
        OneLine(error.Message.Split(" (Parameter", 2)[0].Split(Environment.NewLine + "Actual value was", 2)[0]);

    private static bool IsUserMistake(Exception error) => error is UserInputException or TokenizerFormatException
        or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or JsonException
        or UnauthorizedAccessException;

    /// <summary>The exception at the bottom of <paramref name="error"/>'s inner exceptions (ML.NET wraps the telling one).</summary>
    public static Exception Innermost(Exception error) => error.InnerException is { } inner ? Innermost(inner) : error;

    /// <summary>The message with its line breaks turned into spaces.</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
