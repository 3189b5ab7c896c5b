using System.Text.Json;
using System.Text.Json.Nodes;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Configuration;

// Reading and writing config.json.
public sealed partial class BertConfig
{
    /// <summary>Fields of the file this configuration was read from that it does not model; written back on save.</summary>
    private JsonObject _otherFields = [];

    /// <summary>The <c>model_type</c> the file named (e.g. <c>xlm-roberta</c>), written back while it still fits.</summary>
    private string _modelType = "bert";

    /// <summary>
    /// Reads a <c>config.json</c> file, or the one inside a checkpoint directory. For an ONNX export (an <c>.onnx</c>
    /// file, or a directory holding <c>model.onnx</c> and no <c>config.json</c>) the <c>config.json</c> beside it
    /// wins, else the configuration is inferred from its graph (<see cref="FromOnnx"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON, a field has a wrong type or value, or an ONNX graph does not show a size.</exception>
    public static BertConfig Load(string path)
    {
        if (OnnxCheckpoint.IsOnnxFile(path)) return OnnxCheckpoint.LoadConfig(path);
        if (Directory.Exists(path))
        {
            var onnx = Path.Combine(path, OnnxCheckpoint.FileName);
            path = Path.Combine(path, FileName);
            if (!File.Exists(path) && File.Exists(onnx)) return OnnxCheckpoint.LoadConfig(onnx);
        }
        return Parse(JsonFields.ParseObject(path), path);
    }

    /// <summary>Parses the JSON text of a <c>config.json</c>; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The text is not valid JSON or a field has a wrong type or value.</exception>
    public static BertConfig FromJson(string json, string source = FileName)
    {
        try
        {
            return Parse(JsonNode.Parse(json) as JsonObject
                ?? throw new InvalidDataException($"{source}: expected a JSON object."), source);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message}).", e);
        }
    }

    private static BertConfig Parse(JsonObject json, string source)
    {
        var fields = new JsonFields(json, source);
        var modelType = fields.String(ConfigFieldNames.ModelType, "bert");
        var architecture = ArchitectureOf(modelType)
            ?? throw fields.Invalid(ConfigFieldNames.ModelType, "one of bert, roberta, xlm-roberta, distilbert");
        var names = ConfigFieldNames.For(architecture);
        var config = new BertConfig
        {
            Architecture = architecture,
            VocabSize = fields.Int("vocab_size", 30522),
            HiddenSize = fields.Int(names.HiddenSize, 768),
            NumHiddenLayers = fields.Int(names.NumHiddenLayers, 12),
            NumAttentionHeads = fields.Int(names.NumAttentionHeads, 12),
            IntermediateSize = fields.Int(names.IntermediateSize, 3072),
            HiddenAct = ParseActivation(fields, names.HiddenAct),
            HiddenDropoutProb = fields.Double(names.HiddenDropoutProb, 0.1),
            AttentionProbsDropoutProb = fields.Double(names.AttentionProbsDropoutProb, 0.1),
            ClassifierDropout = fields.NullableDouble(names.ClassifierDropout),
            MaxPositionEmbeddings = fields.Int("max_position_embeddings", 512),
            TypeVocabSize = architecture == EncoderArchitecture.DistilBert ? 0 : fields.Int("type_vocab_size", 2),
            InitializerRange = fields.Double("initializer_range", 0.02),
            LayerNormEps = architecture == EncoderArchitecture.DistilBert
                ? ConfigFieldNames.DistilBertLayerNormEps
                : fields.Double("layer_norm_eps", 1e-12),
            PadTokenId = fields.Int("pad_token_id", 0),
            PositionEmbeddingType = ParsePositionType(fields, architecture),
            Labels = ClassLabels.Parse(json, source),
            Architectures = ParseArchitectures(json, source),
        };
        config._modelType = modelType;
        config._otherFields = (JsonObject)json.DeepClone();
        foreach (var known in names.All) config._otherFields.Remove(known);
        config.Validate(source);
        return config;
    }

    private static string[]? ParseArchitectures(JsonObject json, string source)
    {
        if (json[ConfigFieldNames.Architectures] is not { } node) return null;
        if (node is not JsonArray array || array.Any(item => item?.GetValueKind() != JsonValueKind.String))
            throw new InvalidDataException($"{source}: '{ConfigFieldNames.Architectures}' must be an array of strings.");
        return [.. array.Select(item => item!.GetValue<string>())];
    }

    private static EncoderArchitecture? ArchitectureOf(string modelType) => modelType switch
    {
        "bert" => EncoderArchitecture.Bert,
        "roberta" or "xlm-roberta" => EncoderArchitecture.Roberta,
        "distilbert" => EncoderArchitecture.DistilBert,
        _ => null,
    };

    private static ActivationKind ParseActivation(JsonFields fields, string field)
    {
        try
        {
            return ActivationNames.Parse(fields.String(field, "gelu"));
        }
        catch (ArgumentException)
        {
            throw fields.Invalid(field, "one of gelu, gelu_new, gelu_pytorch_tanh, relu, tanh");
        }
    }

    private static PositionEmbeddingType ParsePositionType(JsonFields fields, EncoderArchitecture architecture)
    {
        if (architecture == EncoderArchitecture.DistilBert)
            return fields.Bool(ConfigFieldNames.DistilBertSinusoidal, false)
                ? PositionEmbeddingType.Sinusoidal
                : PositionEmbeddingType.Absolute;
        return fields.String(ConfigFieldNames.PositionEmbeddingType, "absolute") switch
        {
            "absolute" => PositionEmbeddingType.Absolute,
            "sinusoidal" => PositionEmbeddingType.Sinusoidal,
            _ => throw fields.Invalid(ConfigFieldNames.PositionEmbeddingType, "absolute or sinusoidal"),
        };
    }

    /// <summary>Writes this configuration as a <c>config.json</c> in the architecture's own field names.</summary>
    public void Save(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, FileName);
        File.WriteAllText(path, ToJson());
    }

    /// <summary>The <c>config.json</c> text of this configuration, keeping fields of the source file it does not model.</summary>
    public string ToJson()
    {
        var names = ConfigFieldNames.For(Architecture);
        var json = (JsonObject)_otherFields.DeepClone();
        json[ConfigFieldNames.ModelType] = ArchitectureOf(_modelType) == Architecture ? _modelType : Architecture switch
        {
            EncoderArchitecture.Roberta => "roberta",
            EncoderArchitecture.DistilBert => "distilbert",
            _ => "bert",
        };
        if (Architectures is not null) json[ConfigFieldNames.Architectures] = new JsonArray([.. Architectures.Select(name => (JsonNode?)name)]);
        json["vocab_size"] = VocabSize;
        json[names.HiddenSize] = HiddenSize;
        json[names.NumHiddenLayers] = NumHiddenLayers;
        json[names.NumAttentionHeads] = NumAttentionHeads;
        json[names.IntermediateSize] = IntermediateSize;
        json[names.HiddenAct] = HiddenAct switch
        {
            ActivationKind.GeluTanh => "gelu_new",
            ActivationKind.Relu => "relu",
            ActivationKind.Tanh => "tanh",
            _ => "gelu",
        };
        json[names.HiddenDropoutProb] = HiddenDropoutProb;
        json[names.AttentionProbsDropoutProb] = AttentionProbsDropoutProb;
        json[names.ClassifierDropout] = ClassifierDropout;
        json["max_position_embeddings"] = MaxPositionEmbeddings;
        json["initializer_range"] = InitializerRange;
        json["pad_token_id"] = PadTokenId;
        if (Architecture == EncoderArchitecture.DistilBert)
        {
            json[ConfigFieldNames.DistilBertSinusoidal] = PositionEmbeddingType == PositionEmbeddingType.Sinusoidal;
        }
        else
        {
            json["type_vocab_size"] = TypeVocabSize;
            json["layer_norm_eps"] = LayerNormEps;
            json[ConfigFieldNames.PositionEmbeddingType] =
                PositionEmbeddingType == PositionEmbeddingType.Sinusoidal ? "sinusoidal" : "absolute";
        }
        ClassLabels.Write(json, Labels);
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
