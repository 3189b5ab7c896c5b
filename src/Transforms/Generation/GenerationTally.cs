namespace MLNet.Transformers.Transforms;

/// <summary>What one text generation counted, filled as it runs: for usage reports and finish reasons.</summary>
internal sealed class GenerationTally
{
    /// <summary>The prompt's tokens.</summary>
    public int PromptTokens { get; set; }

    /// <summary>The tokens generated (up to and including the one that completed a stop sequence or ended the text).</summary>
    public int GeneratedTokens { get; set; }

    /// <summary>Whether the text ended by itself (the end-of-text token or a stop sequence) rather than by a token limit.</summary>
    public bool Ended { get; set; }
}
