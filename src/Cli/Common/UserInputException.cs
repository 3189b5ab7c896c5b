namespace MLNet.Transformers.Cli.Common;

/// <summary>A mistake in the user's input (a file, a field, a row, an option); its message is shown as is.</summary>
/// <param name="message">One line naming the file (or option) and what is wrong with it.</param>
internal sealed class UserInputException(string message) : Exception(message);
