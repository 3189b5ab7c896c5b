using System.Text.Json;
using System.Text.Json.Nodes;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Configuration;

// Reading and writing config.json.
public sealed partial class Gpt2Config
{
    /// <summary>The configuration file of a checkpoint directory.</summary>
    public const string FileName = "config.json";

    private static readonly string[] Modelled =
    [
        "model_type", "vocab_size", "n_positions", "n_embd", "n_layer", "n_head", "n_inner", "activation_function",
        "resid_pdrop", "embd_pdrop", "attn_pdrop", "layer_norm_epsilon", "initializer_range", "bos_token_id",
        "eos_token_id", "tie_word_embeddings", "scale_attn_weights", "pad_token_id", "id2label", "label2id", "num_labels",
    ];

    /// <summary>Fields of the file this configuration was read from that it does not model; written back on save.</summary>
    private JsonObject _otherFields = new() { ["architectures"] = new JsonArray("GPT2LMHeadModel") };

    /// <summary>Reads a <c>config.json</c> file, or the one inside a checkpoint directory.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON, not a GPT-2 configuration, or a field has a wrong type or value.</exception>
    public static Gpt2Config Load(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, FileName);
        return Parse(JsonFields.ParseObject(path), path);
    }

    /// <summary>
    /// Whether <paramref name="path"/> (a checkpoint directory or its <c>config.json</c>) is a GPT-2 checkpoint: its
    /// configuration names <c>model_type</c> <c>gpt2</c>. False when there is no such file or it is not a JSON object
    /// (the loader of the other family then names the problem).
    /// </summary>
    public static bool IsGpt2Checkpoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) path = Path.Combine(path, FileName);
        if (!File.Exists(path) || !path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject root && root["model_type"] is JsonValue type
                && type.TryGetValue<string>(out var name) && name == ModelType;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Parses the text of a <c>config.json</c>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The text is not a JSON object, not a GPT-2 configuration, or a field has a wrong type or value.</exception>
    public static Gpt2Config FromJson(string json, string source = FileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({error.Message}).", error);
        }
        return Parse(node as JsonObject ?? throw new InvalidDataException($"{source}: not a JSON object."), source);
    }

    private static Gpt2Config Parse(JsonObject json, string source)
    {
        var fields = new JsonFields(json, source);
        if (fields.String("model_type", "") != ModelType) throw fields.Invalid("model_type", $"\"{ModelType}\"");
        if (!fields.Bool("tie_word_embeddings", true)) throw fields.Invalid("tie_word_embeddings", "true (the LM head is the token embeddings)");
        if (!fields.Bool("scale_attn_weights", true)) throw fields.Invalid("scale_attn_weights", "true (scores scaled by 1/√D)");
        var config = new Gpt2Config
        {
            VocabSize = fields.Int("vocab_size", 50257),
            MaxPositions = fields.Int("n_positions", 1024),
            HiddenSize = fields.Int("n_embd", 768),
            NumLayers = fields.Int("n_layer", 12),
            NumHeads = fields.Int("n_head", 12),
            InnerSize = fields.Has("n_inner") ? fields.Int("n_inner", 0) : null,
            Activation = ParseActivation(fields),
            ResidualDropout = fields.Double("resid_pdrop", 0.1),
            EmbeddingDropout = fields.Double("embd_pdrop", 0.1),
            AttentionDropout = fields.Double("attn_pdrop", 0.1),
            LayerNormEpsilon = fields.Double("layer_norm_epsilon", 1e-5),
            InitializerRange = fields.Double("initializer_range", 0.02),
            BosTokenId = fields.Int("bos_token_id", 50256),
            EosTokenId = fields.Int("eos_token_id", 50256),
            PadTokenId = fields.Has("pad_token_id") ? fields.Int("pad_token_id", 0) : null,
            Labels = ClassLabels.Present(json) ? ClassLabels.Parse(json, source) : null,
        };
        config._otherFields = (JsonObject)json.DeepClone();
        foreach (var known in Modelled) config._otherFields.Remove(known);
        config.Validate(source);
        return config;
    }

    private static ActivationKind ParseActivation(JsonFields fields)
    {
        try
        {
            return ActivationNames.Parse(fields.String("activation_function", "gelu_new"));
        }
        catch (ArgumentException)
        {
            throw fields.Invalid("activation_function", "one of gelu, gelu_new, gelu_pytorch_tanh, relu, tanh");
        }
    }

    /// <summary>Writes this configuration as <c>config.json</c> (into the directory when <paramref name="path"/> is one).</summary>
    public void Save(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, FileName);
        File.WriteAllText(path, ToJson());
    }

    /// <summary>The <c>config.json</c> text, keeping fields of the source file it does not model.</summary>
    public string ToJson()
    {
        var json = (JsonObject)_otherFields.DeepClone();
        json["model_type"] = ModelType;
        json["vocab_size"] = VocabSize;
        json["n_positions"] = MaxPositions;
        json["n_embd"] = HiddenSize;
        json["n_layer"] = NumLayers;
        json["n_head"] = NumHeads;
        json["n_inner"] = InnerSize;
        json["activation_function"] = Activation switch
        {
            ActivationKind.Gelu => "gelu",
            ActivationKind.Relu => "relu",
            ActivationKind.Tanh => "tanh",
            _ => "gelu_new",
        };
        json["resid_pdrop"] = ResidualDropout;
        json["embd_pdrop"] = EmbeddingDropout;
        json["attn_pdrop"] = AttentionDropout;
        json["layer_norm_epsilon"] = LayerNormEpsilon;
        json["initializer_range"] = InitializerRange;
        json["bos_token_id"] = BosTokenId;
        json["eos_token_id"] = EosTokenId;
        json["tie_word_embeddings"] = true;
        if (PadTokenId is { } pad) json["pad_token_id"] = pad;
        if (Labels is { } labels) ClassLabels.Write(json, labels);
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
