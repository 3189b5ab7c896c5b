namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// The names of an exported model's inputs, outputs and symbolic dimensions: those Hugging Face's exports use, so
/// code written for them (ONNX Runtime, ML.NET's <c>ApplyOnnxModel</c>, transformers.js) runs ours unchanged.
/// </summary>
public static class OnnxExportNames
{
    /// <summary>Token ids, int64 (<see cref="BatchAxis"/>, <see cref="SequenceAxis"/>).</summary>
    public const string InputIds = "input_ids";

    /// <summary>1 for real tokens and 0 for padding, int64 (<see cref="BatchAxis"/>, <see cref="SequenceAxis"/>).</summary>
    public const string AttentionMask = "attention_mask";

    /// <summary>
    /// Segment ids (0 first text, 1 second), int64 (<see cref="BatchAxis"/>, <see cref="SequenceAxis"/>); only a model
    /// with token type embeddings (<c>type_vocab_size</c> &gt; 0, so not DistilBERT) takes it.
    /// </summary>
    public const string TokenTypeIds = "token_type_ids";

    /// <summary>A classifier's scores before the softmax, float (<see cref="BatchAxis"/>, labels).</summary>
    public const string Logits = "logits";

    /// <summary>A classifier's softmax of <see cref="Logits"/>, float (<see cref="BatchAxis"/>, labels).</summary>
    public const string Probabilities = "probabilities";

    /// <summary>An embedder's pooled (and, when its config says so, L2-normalised) vectors, float (<see cref="BatchAxis"/>, dimension).</summary>
    public const string SentenceEmbedding = "sentence_embedding";

    /// <summary>An embedder's token states before pooling, float (<see cref="BatchAxis"/>, <see cref="SequenceAxis"/>, hidden).</summary>
    public const string LastHiddenState = "last_hidden_state";

    /// <summary>The symbolic batch dimension: any number of sequences per run.</summary>
    public const string BatchAxis = "batch_size";

    /// <summary>The symbolic sequence dimension: any padded length up to the model's positions.</summary>
    public const string SequenceAxis = "sequence_length";

    /// <summary>The metadata key (ONNX <c>metadata_props</c>) under which an export keeps the model's <c>config.json</c> text.</summary>
    public const string ConfigMetadataKey = "config.json";
}
