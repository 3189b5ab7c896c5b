using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Configuration;

/// <summary>
/// The shape and semantics of a BERT-family encoder, read from and written to a Hugging Face <c>config.json</c>.
/// Defaults are those of Hugging Face's <c>BertConfig</c> (BERT-base). DistilBERT's own field names
/// (<c>dim</c>, <c>n_layers</c>, ...) are translated on read and written back on save.
/// </summary>
public sealed partial class BertConfig
{
    /// <summary>The file name of a configuration inside a checkpoint directory.</summary>
    public const string FileName = "config.json";

    /// <summary>The architecture (<c>model_type</c>). Default <see cref="EncoderArchitecture.Bert"/>.</summary>
    public EncoderArchitecture Architecture { get; set; } = EncoderArchitecture.Bert;

    /// <summary>Number of token ids (<c>vocab_size</c>). Default 30522.</summary>
    public int VocabSize { get; set; } = 30522;

    /// <summary>Width of every hidden state (<c>hidden_size</c>, DistilBERT <c>dim</c>). Default 768.</summary>
    public int HiddenSize { get; set; } = 768;

    /// <summary>Number of encoder layers (<c>num_hidden_layers</c>, DistilBERT <c>n_layers</c>). Default 12.</summary>
    public int NumHiddenLayers { get; set; } = 12;

    /// <summary>Number of attention heads (<c>num_attention_heads</c>, DistilBERT <c>n_heads</c>). Default 12.</summary>
    public int NumAttentionHeads { get; set; } = 12;

    /// <summary>Width of the feed-forward layer (<c>intermediate_size</c>, DistilBERT <c>hidden_dim</c>). Default 3072.</summary>
    public int IntermediateSize { get; set; } = 3072;

    /// <summary>Feed-forward activation (<c>hidden_act</c>, DistilBERT <c>activation</c>). Default exact GELU.</summary>
    public ActivationKind HiddenAct { get; set; } = ActivationKind.Gelu;

    /// <summary>Dropout after embeddings and every dense output (<c>hidden_dropout_prob</c>). Default 0.1.</summary>
    public double HiddenDropoutProb { get; set; } = 0.1;

    /// <summary>Dropout on attention probabilities (<c>attention_probs_dropout_prob</c>). Default 0.1.</summary>
    public double AttentionProbsDropoutProb { get; set; } = 0.1;

    /// <summary>Dropout before a classifier head (<c>classifier_dropout</c>); null means the hidden dropout. Default null.</summary>
    public double? ClassifierDropout { get; set; }

    /// <summary>Rows of the position table (<c>max_position_embeddings</c>). Default 512.</summary>
    public int MaxPositionEmbeddings { get; set; } = 512;

    /// <summary>Number of token types (<c>type_vocab_size</c>); 0 for DistilBERT. Default 2.</summary>
    public int TypeVocabSize { get; set; } = 2;

    /// <summary>Standard deviation of the normal initialisation (<c>initializer_range</c>). Default 0.02.</summary>
    public double InitializerRange { get; set; } = 0.02;

    /// <summary>Epsilon added to the variance in every LayerNorm (<c>layer_norm_eps</c>). Default 1e-12.</summary>
    public double LayerNormEps { get; set; } = 1e-12;

    /// <summary>Id of the padding token (<c>pad_token_id</c>). Default 0.</summary>
    public int PadTokenId { get; set; }

    /// <summary>How positions are encoded (<c>position_embedding_type</c>). Default learned absolute positions.</summary>
    public PositionEmbeddingType PositionEmbeddingType { get; set; } = PositionEmbeddingType.Absolute;

    /// <summary>Class names by id (<c>id2label</c>) for a classification head. Default <c>LABEL_0</c>, <c>LABEL_1</c>.</summary>
    public IReadOnlyList<string> Labels { get; set; } = ["LABEL_0", "LABEL_1"];

    /// <summary>
    /// The model classes the checkpoint was saved from (<c>architectures</c>, e.g. <c>BertForMaskedLM</c>), which
    /// Hugging Face's auto classes read; null when the file names none.
    /// </summary>
    public IReadOnlyList<string>? Architectures { get; set; }

    /// <summary>Width of one attention head: <see cref="HiddenSize"/> / <see cref="NumAttentionHeads"/>.</summary>
    public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>
    /// The position id of the first token: <c>pad_token_id + 1</c> for RoBERTa (its positions skip the padding row),
    /// 0 otherwise.
    /// </summary>
    public int FirstPositionId => Architecture == EncoderArchitecture.Roberta ? PadTokenId + 1 : 0;

    /// <summary>The longest sequence the position encoding supports.</summary>
    public int MaxSequenceLength => MaxPositionEmbeddings - FirstPositionId;

    /// <summary>Checks that the sizes are positive and consistent; throws naming the offending field.</summary>
    /// <exception cref="InvalidDataException">A size is not positive, or the hidden size is not a multiple of the heads.</exception>
    public void Validate(string source = FileName)
    {
        RequirePositive(VocabSize, "vocab_size");
        RequirePositive(HiddenSize, "hidden_size");
        RequirePositive(NumHiddenLayers, "num_hidden_layers");
        RequirePositive(NumAttentionHeads, "num_attention_heads");
        RequirePositive(IntermediateSize, "intermediate_size");
        RequirePositive(MaxSequenceLength, "max_position_embeddings");
        if (HiddenSize % NumAttentionHeads != 0)
            throw new InvalidDataException(
                $"{source}: hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}.");
        if (TypeVocabSize < 0 || (Architecture == EncoderArchitecture.DistilBert && TypeVocabSize != 0))
            throw new InvalidDataException($"{source}: type_vocab_size {TypeVocabSize} is not valid for {Architecture}.");
        if (PadTokenId < 0 || PadTokenId >= VocabSize)
            throw new InvalidDataException($"{source}: pad_token_id {PadTokenId} is outside the vocabulary of {VocabSize}.");
        if (!(LayerNormEps > 0)) throw new InvalidDataException($"{source}: layer_norm_eps must be positive.");

        void RequirePositive(int value, string field)
        {
            if (value <= 0) throw new InvalidDataException($"{source}: {field} must be positive, got {value}.");
        }
    }
}
