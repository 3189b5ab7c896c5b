using System.Text.Json;
using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Cli.Common;

/// <summary>
/// The error convention of every command: a user mistake prints one line on stderr naming the file and what is
/// wrong, and exits with <see cref="BadInput"/>; never a stack trace.
/// </summary>
internal static class CliErrors
{
    /// <summary>The exit code for bad input.</summary>
    public const int BadInput = 2;

    /// <summary>Runs a command body, turning user mistakes into the one-line message and exit code 2.</summary>
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
    }

    /// <summary>An argument exception's message without the <c>(Parameter '...')</c> suffix .NET appends, on one line.</summary>
    public static string MessageOf(ArgumentException error) => OneLine(error.Message.Split(" (Parameter", 2)[0]);

    private static bool IsUserMistake(Exception error) => error is UserInputException or TokenizerFormatException
        or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or JsonException
        or UnauthorizedAccessException;

    /// <summary>The message with its line breaks turned into spaces.</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
