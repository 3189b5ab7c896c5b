using MLNet.Transformers.Models.Recurrent;

namespace MLNet.Transformers;

/// <summary>
/// The sizes of a recurrent classifier (<see cref="TextClassificationOptions.Architecture"/> <c>Lstm</c>, <c>Gru</c> or
/// <c>AttentionRnn</c>), trained from scratch with the options' tokenizer.
/// </summary>
public sealed record RecurrentNetworkOptions
{
    /// <summary>Features of each token embedding. Default 128.</summary>
    public int EmbeddingSize { get; init; } = RecurrentClassifierConfig.DefaultEmbeddingSize;

    /// <summary>Features of each direction's hidden state. Default 128.</summary>
    public int HiddenSize { get; init; } = RecurrentClassifierConfig.DefaultHiddenSize;

    /// <summary>Stacked recurrent layers. Default 1.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Whether each layer also reads the text backwards. Default true.</summary>
    public bool Bidirectional { get; init; } = true;

    /// <summary>Width of the attention's projection (<c>AttentionRnn</c> only). Default 128.</summary>
    public int AttentionSize { get; init; } = RecurrentClassifierConfig.DefaultAttentionSize;
}
