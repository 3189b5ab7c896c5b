using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Configuration;

/// <summary>
/// The configuration of a GPT-2 decoder, as Hugging Face's <c>GPT2Config</c> (<c>config.json</c> with
/// <c>model_type: gpt2</c>). Defaults are GPT-2 small's. Field names are in the docs of each property.
/// </summary>
public sealed partial class Gpt2Config
{
    /// <summary>The <c>model_type</c> of a GPT-2 <c>config.json</c>.</summary>
    public const string ModelType = "gpt2";

    /// <summary><c>vocab_size</c>. Default 50257.</summary>
    public int VocabSize { get; set; } = 50257;

    /// <summary><c>n_positions</c>: the longest sequence (rows of the position table). Default 1024.</summary>
    public int MaxPositions { get; set; } = 1024;

    /// <summary><c>n_embd</c>: the model width C. Default 768.</summary>
    public int HiddenSize { get; set; } = 768;

    /// <summary><c>n_layer</c>: the number of blocks. Default 12.</summary>
    public int NumLayers { get; set; } = 12;

    /// <summary><c>n_head</c>: attention heads; must divide <see cref="HiddenSize"/>. Default 12.</summary>
    public int NumHeads { get; set; } = 12;

    /// <summary><c>n_inner</c>: the feed-forward width, or null for 4 × <see cref="HiddenSize"/>. Default null.</summary>
    public int? InnerSize { get; set; }

    /// <summary><c>activation_function</c> of the feed-forward block. Default <c>gelu_new</c> (tanh approximation).</summary>
    public ActivationKind Activation { get; set; } = ActivationKind.GeluTanh;

    /// <summary><c>resid_pdrop</c>: dropout on the attention and feed-forward outputs. Default 0.1.</summary>
    public double ResidualDropout { get; set; } = 0.1;

    /// <summary><c>embd_pdrop</c>: dropout on the summed token and position embeddings. Default 0.1.</summary>
    public double EmbeddingDropout { get; set; } = 0.1;

    /// <summary><c>attn_pdrop</c>: dropout on the attention probabilities. Default 0.1.</summary>
    public double AttentionDropout { get; set; } = 0.1;

    /// <summary><c>layer_norm_epsilon</c>. Default 1e-5.</summary>
    public double LayerNormEpsilon { get; set; } = 1e-5;

    /// <summary><c>initializer_range</c>: the standard deviation of initial weights. Default 0.02.</summary>
    public double InitializerRange { get; set; } = 0.02;

    /// <summary><c>bos_token_id</c>. Default 50256 (<c>&lt;|endoftext|&gt;</c>).</summary>
    public int BosTokenId { get; set; } = 50256;

    /// <summary><c>eos_token_id</c>: generation stops after producing it. Default 50256 (<c>&lt;|endoftext|&gt;</c>).</summary>
    public int EosTokenId { get; set; } = 50256;

    /// <summary>
    /// <c>pad_token_id</c>: the id that fills padding in batches of texts of different lengths (GPT-2 has none; Hugging
    /// Face's <c>GPT2ForSequenceClassification</c> needs one for batches). Default null.
    /// </summary>
    public int? PadTokenId { get; set; }

    /// <summary>Class names by id (<c>id2label</c>) for a classification head, or null for none. Default null.</summary>
    public IReadOnlyList<string>? Labels { get; set; }

    /// <summary>The feed-forward width F: <see cref="InnerSize"/> or 4 × <see cref="HiddenSize"/>.</summary>
    public int FeedForwardSize => InnerSize ?? 4 * HiddenSize;

    /// <summary>The width D of one head.</summary>
    public int HeadSize => HiddenSize / NumHeads;

    /// <summary>Throws when a value is out of range, naming the field and <paramref name="source"/>.</summary>
    /// <exception cref="InvalidDataException">A size is not positive, the heads do not divide the width, a dropout is outside [0, 1), or a token id is outside the vocabulary.</exception>
    public void Validate(string source = FileName)
    {
        RequirePositive(source, "vocab_size", VocabSize);
        RequirePositive(source, "n_positions", MaxPositions);
        RequirePositive(source, "n_embd", HiddenSize);
        RequirePositive(source, "n_layer", NumLayers);
        if (NumHeads <= 0 || HiddenSize % NumHeads != 0)
            throw new InvalidDataException($"{source}: n_head ({NumHeads}) must be positive and divide n_embd ({HiddenSize}).");
        RequirePositive(source, "n_inner", FeedForwardSize);
        foreach (var (name, value) in new[] { ("resid_pdrop", ResidualDropout), ("embd_pdrop", EmbeddingDropout), ("attn_pdrop", AttentionDropout) })
        {
            if (value is < 0 or >= 1) throw new InvalidDataException($"{source}: {name} must be in [0, 1), got {value}.");
        }
        if (LayerNormEpsilon <= 0) throw new InvalidDataException($"{source}: layer_norm_epsilon must be positive, got {LayerNormEpsilon}.");
        foreach (var (name, id) in new[] { ("bos_token_id", BosTokenId), ("eos_token_id", EosTokenId), ("pad_token_id", PadTokenId ?? 0) })
        {
            if ((uint)id >= (uint)VocabSize) throw new InvalidDataException($"{source}: {name} ({id}) must be a token of the vocabulary [0, {VocabSize}).");
        }
    }

    private static void RequirePositive(string source, string name, int value)
    {
        if (value <= 0) throw new InvalidDataException($"{source}: {name} must be positive, got {value}.");
    }
}
