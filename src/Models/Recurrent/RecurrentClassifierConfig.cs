using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Recurrent;

/// <summary>
/// The shape of a <see cref="RecurrentClassifier"/>, saved as its <c>config.json</c>: token embeddings of
/// <see cref="EmbeddingSize"/>, <see cref="Layers"/> (bi)LSTM or GRU layers of <see cref="HiddenSize"/> per direction,
/// then either the final states or additive attention over all states (<see cref="Attention"/>), and a linear head with
/// one logit per label.
/// </summary>
public sealed class RecurrentClassifierConfig
{
    /// <summary>The name of the saved configuration.</summary>
    public const string FileName = "config.json";

    /// <summary>Default of <see cref="EmbeddingSize"/>.</summary>
    public const int DefaultEmbeddingSize = 128;

    /// <summary>Default of <see cref="HiddenSize"/>.</summary>
    public const int DefaultHiddenSize = 128;

    /// <summary>Default of <see cref="AttentionSize"/>.</summary>
    public const int DefaultAttentionSize = 128;

    /// <summary>The cell: LSTM or GRU. Default LSTM.</summary>
    public RecurrentCell Cell { get; init; } = RecurrentCell.Lstm;

    /// <summary>Whether the head reads an additive attention context over all states (true) or the final states (false). Default false.</summary>
    public bool Attention { get; init; }

    /// <summary>Rows of the embedding table (the tokenizer's vocabulary).</summary>
    public required int VocabSize { get; init; }

    /// <summary>The id of padding positions.</summary>
    public int PadTokenId { get; init; }

    /// <summary>Features of each token embedding. Default 128.</summary>
    public int EmbeddingSize { get; init; } = DefaultEmbeddingSize;

    /// <summary>Features of each direction's hidden state. Default 128.</summary>
    public int HiddenSize { get; init; } = DefaultHiddenSize;

    /// <summary>Stacked recurrent layers. Default 1.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Whether each layer also reads the text backwards. Default true.</summary>
    public bool Bidirectional { get; init; } = true;

    /// <summary>Width of the attention's projection (used with <see cref="Attention"/>). Default 128.</summary>
    public int AttentionSize { get; init; } = DefaultAttentionSize;

    /// <summary>The class names, one logit each, in order.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Features the head reads: the states of both directions side by side.</summary>
    public int FeatureSize => (Bidirectional ? 2 : 1) * HiddenSize;

    /// <summary>The configuration as JSON (snake_case fields; <c>id2label</c> as Hugging Face writes it).</summary>
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["model_type"] = Cell == RecurrentCell.Lstm ? "lstm" : "gru",
            ["attention"] = Attention,
            ["vocab_size"] = VocabSize,
            ["pad_token_id"] = PadTokenId,
            ["embedding_size"] = EmbeddingSize,
            ["hidden_size"] = HiddenSize,
            ["num_layers"] = Layers,
            ["bidirectional"] = Bidirectional,
            ["attention_size"] = AttentionSize,
            ["id2label"] = new JsonObject(Labels.Select((label, i) => KeyValuePair.Create(i.ToString(CultureInfo.InvariantCulture), (JsonNode?)label))),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Reads a configuration written by <see cref="ToJson"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, or a field is missing or out of range (the message names it).</exception>
    public static RecurrentClassifierConfig FromJson(string text, string source)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException($"{source}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message}).", e);
        }
        var fields = new JsonFields(json, source);
        var cell = fields.String("model_type", "") switch
        {
            "lstm" => RecurrentCell.Lstm,
            "gru" => RecurrentCell.Gru,
            _ => throw fields.Invalid("model_type", "'lstm' or 'gru'"),
        };
        var config = new RecurrentClassifierConfig
        {
            Cell = cell,
            Attention = fields.Bool("attention", false),
            VocabSize = Positive(fields, "vocab_size"),
            PadTokenId = fields.Int("pad_token_id", 0),
            EmbeddingSize = Positive(fields, "embedding_size"),
            HiddenSize = Positive(fields, "hidden_size"),
            Layers = Positive(fields, "num_layers"),
            Bidirectional = fields.Bool("bidirectional", true),
            AttentionSize = Positive(fields, "attention_size"),
            Labels = ReadLabels(json, fields),
        };
        if (config.PadTokenId < 0 || config.PadTokenId >= config.VocabSize)
            throw fields.Invalid("pad_token_id", $"an id in [0, {config.VocabSize})");
        return config;
    }

    private static int Positive(JsonFields fields, string name)
    {
        var value = fields.Int(name, 0);
        return value > 0 ? value : throw fields.Invalid(name, "a positive integer");
    }

    private static string[] ReadLabels(JsonObject json, JsonFields fields)
    {
        if (json["id2label"] is not JsonObject id2Label || id2Label.Count < 2) throw fields.Invalid("id2label", "an object of at least two labels");
        var labels = new string[id2Label.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = id2Label[i.ToString(CultureInfo.InvariantCulture)] is JsonValue v && v.TryGetValue<string>(out var label)
                ? label
                : throw fields.Invalid("id2label", $"labels for the ids 0..{labels.Length - 1}");
        }
        return labels;
    }
}
