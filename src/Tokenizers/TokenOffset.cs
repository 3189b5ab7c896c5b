namespace MLNet.Transformers.Tokenizers;

/// <summary>
/// Where a token came from in the original text: <c>[Start, End)</c> in UTF-16 code units (.NET <see cref="string"/>
/// indices). Special tokens added by a post-processor and padding have the empty offset (0, 0).
/// </summary>
/// <param name="Start">Index of the first character of the token in the original text.</param>
/// <param name="End">Index one past the last character of the token in the original text.</param>
public readonly record struct TokenOffset(int Start, int End)
{
    /// <inheritdoc/>
    public override string ToString() => $"({Start}, {End})";
}
