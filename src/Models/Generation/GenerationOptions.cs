namespace MLNet.Transformers.Models.Generation;

/// <summary>How <see cref="Gpt2Generator"/> chooses tokens; the defaults give greedy decoding of up to 50 tokens.</summary>
public sealed class GenerationOptions
{
    /// <summary>Default of <see cref="MaxNewTokens"/>.</summary>
    public const int DefaultMaxNewTokens = 50;

    /// <summary>The most tokens generated after the prompt (fewer when the end-of-text token comes first or n_positions is reached). Default 50.</summary>
    public int MaxNewTokens { get; init; } = DefaultMaxNewTokens;

    /// <summary>Whether tokens are drawn from the processed distribution (else the most likely one is taken). Default false.</summary>
    public bool Sample { get; init; }

    /// <summary>Sampling only: logits are divided by it (below 1 sharper, above 1 flatter). Default 1.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Sampling only: keep the K most likely tokens (ties with the K-th kept too); 0 keeps all. Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>Sampling only: keep the most likely tokens whose probabilities add up to P (nucleus sampling); 1 keeps all. Default 1.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>
    /// Above 1, makes tokens already in the prompt or the output less likely (a positive logit divided by it, a
    /// negative one multiplied), as Hugging Face's repetition penalty; applies to greedy decoding too. Default 1 (off).
    /// </summary>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>The seed of the sampling stream: the same seed, prompt and options give the same tokens. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Whether the keys and values of earlier tokens are cached, so that each new token costs O(T) instead of a forward
    /// pass over the whole sequence. The tokens are the same either way. Default true.
    /// </summary>
    public bool UseKeyValueCache { get; init; } = true;

    /// <summary>Throws when an option is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxNewTokens, nameof(MaxNewTokens));
        if (!(Temperature > 0f)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be positive.");
        ArgumentOutOfRangeException.ThrowIfNegative(TopK, nameof(TopK));
        if (!(TopP > 0f && TopP <= 1f)) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "TopP must be in (0, 1].");
        if (!(RepetitionPenalty > 0f)) throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), RepetitionPenalty, "RepetitionPenalty must be positive.");
    }
}
