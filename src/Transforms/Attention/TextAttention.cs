using System.Text.Json;
using MLNet.Transformers.Models.Attention;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// The self-attention of a checkpoint and its tokenizer on a text: a BERT-family encoder (BERT, RoBERTa,
/// DistilBERT; a Hugging Face folder or an ONNX export) or GPT-2 (causal). The text is encoded as the model reads it,
/// special tokens included, and the maps are labelled with the tokenizer's tokens. Not for concurrent use: the
/// model's buffers are shared.
/// </summary>
public sealed class TextAttention : IAttentionSource
{
    private const string ModelTypeField = "model_type";

    private readonly Tokenizer _tokenizer;
    private readonly BertModel? _encoder;
    private readonly Gpt2LMHeadModel? _decoder;

    /// <summary>Uses a BERT-family encoder and its tokenizer.</summary>
    public TextAttention(BertModel encoder, Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(tokenizer);
        (_encoder, _tokenizer) = (encoder, tokenizer);
        (Layers, Heads, MaxTokens) = (encoder.Config.NumHiddenLayers, encoder.Config.NumAttentionHeads, encoder.Config.MaxSequenceLength);
    }

    /// <summary>Uses GPT-2 and its tokenizer.</summary>
    public TextAttention(Gpt2LMHeadModel decoder, Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(tokenizer);
        (_decoder, _tokenizer) = (decoder, tokenizer);
        (Layers, Heads, MaxTokens) = (decoder.Config.NumLayers, decoder.Config.NumHeads, decoder.Config.MaxPositions);
    }

    /// <summary>
    /// Loads a checkpoint: a folder whose <c>config.json</c> names <c>model_type</c> gpt2 is read as GPT-2, any other
    /// folder or an <c>.onnx</c> file as a BERT-family encoder (a head, if any, is left unused); the tokenizer is the
    /// checkpoint's.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or a parameter is missing.</exception>
    public static TextAttention FromPretrained(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsGpt2(path)) return new TextAttention(Gpt2LMHeadModel.FromPretrained(path), Tokenizer.Load(path));
        return new TextAttention(BertModel.FromPretrained(path, addPoolingLayer: false), Tokenizer.Load(CheckpointFiles.TokenizerLocation(path)));
    }

    /// <summary>L, the model's number of layers.</summary>
    public int Layers { get; }

    /// <summary>H, the attention heads per layer.</summary>
    public int Heads { get; }

    /// <summary>The most tokens the model reads (its positions).</summary>
    public int MaxTokens { get; }

    /// <summary>
    /// Each layer's and head's attention over the tokens of <paramref name="text"/> (T × T per map; for GPT-2 the
    /// keys after each query are 0).
    /// </summary>
    /// <exception cref="ArgumentException">The text encodes to no tokens, or to more than the model reads.</exception>
    public AttentionMaps GetAttention(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = _tokenizer.Encode(text).Ids;
        if (ids.Length == 0) throw new ArgumentException("The text encodes to no tokens.", nameof(text));
        if (ids.Length > MaxTokens) throw new ArgumentException($"The text is {ids.Length} tokens long; the model reads at most {MaxTokens}.", nameof(text));
        IReadOnlyList<Tensor> layers = _encoder is not null
            ? EncoderAttention.Compute(_encoder, new EncoderBatch(1, ids.Length, ids, [.. ids.Select(_ => 1)]))
            : DecoderAttention.Compute(_decoder!, ids, batchSize: 1); // each (1, H, T, T)
        string[] tokens = [.. ids.Select(id => _tokenizer.IdToToken(id) ?? $"[{id}]")];
        return AttentionMaps.SelfAttention(tokens, Heads, [.. layers.Select(layer => layer.Span.ToArray())]);
    }

    /// <summary>Whether <paramref name="path"/> is a folder whose <c>config.json</c> names <c>model_type</c> gpt2.</summary>
    private static bool IsGpt2(string path)
    {
        var config = Path.Combine(path, Gpt2Config.FileName);
        if (!Directory.Exists(path) || !File.Exists(config)) return false;
        using var json = JsonDocument.Parse(File.ReadAllText(config));
        return json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty(ModelTypeField, out var type)
            && type.ValueKind == JsonValueKind.String && type.GetString() == Gpt2Config.ModelType;
    }
}
