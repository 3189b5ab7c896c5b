namespace MLNet.Transformers.Models.Configuration;

/// <summary>The <c>config.json</c> field names of one architecture, where DistilBERT renames BERT's.</summary>
internal sealed record ConfigFieldNames(
    string HiddenSize, string NumHiddenLayers, string NumAttentionHeads, string IntermediateSize, string HiddenAct,
    string HiddenDropoutProb, string AttentionProbsDropoutProb, string ClassifierDropout)
{
    public const string ModelType = "model_type";
    public const string Architectures = "architectures";
    public const string PositionEmbeddingType = "position_embedding_type";
    public const string DistilBertSinusoidal = "sinusoidal_pos_embds";

    /// <summary>DistilBERT's LayerNorm epsilon, fixed in its code rather than configured.</summary>
    public const double DistilBertLayerNormEps = 1e-12;

    private static readonly ConfigFieldNames Bert = new(
        "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act",
        "hidden_dropout_prob", "attention_probs_dropout_prob", "classifier_dropout");

    private static readonly ConfigFieldNames DistilBert = new(
        "dim", "n_layers", "n_heads", "hidden_dim", "activation", "dropout", "attention_dropout", "seq_classif_dropout");

    /// <summary>Every field the configuration models, so that the rest can be kept and written back.</summary>
    public IEnumerable<string> All =>
    [
        ModelType, Architectures, PositionEmbeddingType, DistilBertSinusoidal, HiddenSize, NumHiddenLayers, NumAttentionHeads,
        IntermediateSize, HiddenAct, HiddenDropoutProb, AttentionProbsDropoutProb, ClassifierDropout, "vocab_size",
        "max_position_embeddings", "type_vocab_size", "initializer_range", "layer_norm_eps", "pad_token_id",
        "id2label", "label2id", "num_labels",
    ];

    public static ConfigFieldNames For(EncoderArchitecture architecture) =>
        architecture == EncoderArchitecture.DistilBert ? DistilBert : Bert;
}
