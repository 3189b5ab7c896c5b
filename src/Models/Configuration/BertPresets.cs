using MLNet.Transformers.Models.Configuration;

namespace MLNet.Transformers.Models;

/// <summary>The shape of a named BERT size (the compact models of Turc et al., "Well-Read Students Learn Better").</summary>
/// <param name="Name">The preset's name, as the command line takes it (<c>tiny</c>, <c>mini</c>, <c>small</c>).</param>
/// <param name="Layers">Number of encoder layers.</param>
/// <param name="HiddenSize">Width of the hidden states.</param>
/// <param name="AttentionHeads">Number of attention heads.</param>
/// <param name="IntermediateSize">Width of the feed-forward layer.</param>
public sealed record BertPreset(string Name, int Layers, int HiddenSize, int AttentionHeads, int IntermediateSize);

/// <summary>Named sizes for a fresh BERT encoder, and the configurations built from them.</summary>
public static class BertPresets
{
    /// <summary>Default longest sequence of a preset model (<c>max_position_embeddings</c>).</summary>
    public const int DefaultMaxPositionEmbeddings = 512;

    /// <summary>2 layers, hidden 128, 2 heads, feed-forward 512 (BERT-Tiny).</summary>
    public static BertPreset Tiny { get; } = new("tiny", 2, 128, 2, 512);

    /// <summary>4 layers, hidden 256, 4 heads, feed-forward 1024 (BERT-Mini).</summary>
    public static BertPreset Mini { get; } = new("mini", 4, 256, 4, 1024);

    /// <summary>4 layers, hidden 512, 8 heads, feed-forward 2048 (BERT-Small).</summary>
    public static BertPreset Small { get; } = new("small", 4, 512, 8, 2048);

    /// <summary>Every preset, smallest first.</summary>
    public static IReadOnlyList<BertPreset> All { get; } = [Tiny, Mini, Small];

    /// <summary>The preset names: <c>tiny</c>, <c>mini</c>, <c>small</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(p => p.Name)];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No preset has that name; the message lists the names.</exception>
    public static BertPreset Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown model preset '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>A BERT configuration of the preset called <paramref name="name"/>; other fields keep BERT's defaults.</summary>
    /// <param name="name">A preset name (see <see cref="Names"/>).</param>
    /// <param name="vocabularySize">The tokenizer's vocabulary size (<c>vocab_size</c>).</param>
    /// <param name="maxPositionEmbeddings">The longest sequence (<c>max_position_embeddings</c>).</param>
    /// <param name="padTokenId">The tokenizer's padding id (<c>pad_token_id</c>).</param>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    /// <exception cref="InvalidDataException">A size is not valid (e.g. the padding id is outside the vocabulary).</exception>
    public static BertConfig Create(string name, int vocabularySize,
        int maxPositionEmbeddings = DefaultMaxPositionEmbeddings, int padTokenId = 0) =>
        Create(Get(name), vocabularySize, maxPositionEmbeddings, padTokenId);

    /// <inheritdoc cref="Create(string, int, int, int)"/>
    /// <param name="preset">The sizes.</param>
    /// <param name="vocabularySize">The tokenizer's vocabulary size (<c>vocab_size</c>).</param>
    /// <param name="maxPositionEmbeddings">The longest sequence (<c>max_position_embeddings</c>).</param>
    /// <param name="padTokenId">The tokenizer's padding id (<c>pad_token_id</c>).</param>
    public static BertConfig Create(BertPreset preset, int vocabularySize,
        int maxPositionEmbeddings = DefaultMaxPositionEmbeddings, int padTokenId = 0)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var config = new BertConfig
        {
            VocabSize = vocabularySize,
            NumHiddenLayers = preset.Layers,
            HiddenSize = preset.HiddenSize,
            NumAttentionHeads = preset.AttentionHeads,
            IntermediateSize = preset.IntermediateSize,
            MaxPositionEmbeddings = maxPositionEmbeddings,
            PadTokenId = padTokenId,
        };
        config.Validate($"preset '{preset.Name}'");
        return config;
    }
}
