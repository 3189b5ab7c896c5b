using System.Text.Json;
using System.Text.Json.Nodes;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Configuration;

/// <summary>
/// The shape and semantics of a BERT-family encoder, read from and written to a Hugging Face <c>config.json</c>.
/// Defaults are those of Hugging Face's <c>BertConfig</c> (BERT-base). DistilBERT's own field names
/// (<c>dim</c>, <c>n_layers</c>, ...) are translated on read and written back on save.
/// </summary>
public sealed class BertConfig
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

    /// <summary>Width of one attention head: <see cref="HiddenSize"/> / <see cref="NumAttentionHeads"/>.</summary>
    public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>
    /// The position id of the first token: <c>pad_token_id + 1</c> for RoBERTa (its positions skip the padding row),
    /// 0 otherwise.
    /// </summary>
    public int FirstPositionId => Architecture == EncoderArchitecture.Roberta ? PadTokenId + 1 : 0;

    /// <summary>The longest sequence the position encoding supports.</summary>
    public int MaxSequenceLength => MaxPositionEmbeddings - FirstPositionId;

    /// <summary>Fields of the file this configuration was read from that it does not model; written back on save.</summary>
    private JsonObject _otherFields = [];

    /// <summary>The <c>model_type</c> the file named (e.g. <c>xlm-roberta</c>), written back while it still fits.</summary>
    private string _modelType = "bert";

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

    /// <summary>Reads a <c>config.json</c> file, or the one inside a checkpoint directory.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON or a field has a wrong type or value.</exception>
    public static BertConfig Load(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, FileName);
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
            Labels = ParseLabels(json, source),
        };
        config._modelType = modelType;
        config._otherFields = (JsonObject)json.DeepClone();
        foreach (var known in names.All) config._otherFields.Remove(known);
        config.Validate(source);
        return config;
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

    private static IReadOnlyList<string> ParseLabels(JsonObject json, string source)
    {
        if (json["id2label"] is not JsonObject id2Label)
        {
            var count = new JsonFields(json, source).Int("num_labels", 2);
            return [.. Enumerable.Range(0, count).Select(i => $"LABEL_{i}")];
        }
        var labels = new string[id2Label.Count];
        foreach (var (key, value) in id2Label)
        {
            if (!int.TryParse(key, out var id) || id < 0 || id >= labels.Length || labels[id] is not null)
                throw new InvalidDataException($"{source}: id2label keys must be the ids 0..{labels.Length - 1}, got '{key}'.");
            labels[id] = value?.GetValue<string>()
                ?? throw new InvalidDataException($"{source}: id2label['{key}'] must be a string.");
        }
        return labels;
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
        var id2Label = new JsonObject();
        for (var i = 0; i < Labels.Count; i++) id2Label[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Labels[i];
        json["id2label"] = id2Label;
        json["label2id"] = new JsonObject(Labels.Select((label, i) => KeyValuePair.Create(label, (JsonNode?)i)));
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
