namespace MLNet.Transformers.Models.Configuration;

/// <summary>How token positions are encoded, as named by <c>position_embedding_type</c>.</summary>
public enum PositionEmbeddingType
{
    /// <summary><c>absolute</c>: a learned table <c>embeddings.position_embeddings.weight</c> (max positions, hidden).</summary>
    Absolute,

    /// <summary>
    /// <c>sinusoidal</c>: the fixed encoding of the original Transformer, <c>sin</c> on even and <c>cos</c> on odd
    /// channels, not a parameter. For models trained here (DistilBERT's <c>sinusoidal_pos_embds</c> maps to it).
    /// </summary>
    Sinusoidal,
}
