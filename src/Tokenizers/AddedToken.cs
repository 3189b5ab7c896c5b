namespace MLNet.Transformers.Tokenizers;

/// <summary>
/// A token matched in the text before normalization and model (the <c>added_tokens</c> of a <c>tokenizer.json</c>):
/// it is never split, and special ones (<c>[CLS]</c>, <c>&lt;|endoftext|&gt;</c>) can be skipped when decoding.
/// </summary>
/// <param name="Content">The token's text.</param>
/// <param name="Id">The token's id.</param>
/// <param name="Special">Whether it is a special token (skipped by <see cref="Tokenizer.Decode"/> on request).</param>
public sealed record AddedToken(string Content, int Id, bool Special)
{
    /// <summary>Match it in normalized text (true) or in the original text (false, the default for special tokens).</summary>
    public bool Normalized { get; init; } = !Special;

    /// <summary>Also swallow the whitespace on its left.</summary>
    public bool LStrip { get; init; }

    /// <summary>Also swallow the whitespace on its right.</summary>
    public bool RStrip { get; init; }

    /// <summary>Match only as a whole word (not inside a longer word).</summary>
    public bool SingleWord { get; init; }
}
