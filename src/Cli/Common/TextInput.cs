namespace MLNet.Transformers.Cli.Common;

/// <summary>One input row of a command: a text and, for pair models, its second text.</summary>
/// <param name="Text">The (first) text.</param>
/// <param name="Pair">The second text, or null.</param>
internal readonly record struct TextInput(string Text, string? Pair);
