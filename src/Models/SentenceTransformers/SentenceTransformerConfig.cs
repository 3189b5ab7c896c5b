using System.Text.Json;
using System.Text.Json.Nodes;
using MLNet.Transformers.Models.Configuration;

namespace MLNet.Transformers.Models.SentenceTransformers;

/// <summary>
/// The module stack of a sentence-transformers directory: <c>modules.json</c> listing a Transformer, a Pooling
/// (<c>1_Pooling/config.json</c>) and optionally a Normalize module, plus <c>sentence_bert_config.json</c>.
/// </summary>
public sealed class SentenceTransformerConfig
{
    /// <summary>The module list file.</summary>
    public const string ModulesFile = "modules.json";

    /// <summary>The Transformer module's settings file.</summary>
    public const string SentenceBertConfigFile = "sentence_bert_config.json";

    private const string ModulePrefix = "sentence_transformers.models.";
    private const string TransformerType = ModulePrefix + "Transformer";
    private const string PoolingType = ModulePrefix + "Pooling";
    private const string NormalizeType = ModulePrefix + "Normalize";
    private const string DefaultPoolingPath = "1_Pooling";
    private const string DefaultNormalizePath = "2_Normalize";
    private const string ConfigFile = "config.json";

    /// <summary>The Transformer module's folder relative to the directory (empty: the directory itself).</summary>
    public string TransformerPath { get; init; } = "";

    /// <summary>Longest input in tokens (<c>max_seq_length</c>); null when the file does not say.</summary>
    public int? MaxSeqLength { get; init; }

    /// <summary>Whether the Transformer module lower-cases text before tokenizing (<c>do_lower_case</c>). Default false.</summary>
    public bool DoLowerCase { get; init; }

    /// <summary>The pooling module's settings.</summary>
    public required PoolingConfig Pooling { get; init; }

    /// <summary>Whether a Normalize module scales each sentence vector to unit L2 norm.</summary>
    public bool Normalize { get; init; }

    /// <summary>Whether <paramref name="directory"/> is a sentence-transformers directory (has a <c>modules.json</c>).</summary>
    public static bool IsSentenceTransformer(string directory) => File.Exists(Path.Combine(directory, ModulesFile));

    /// <summary>Reads the module stack of a sentence-transformers directory.</summary>
    /// <exception cref="InvalidDataException">A file is malformed, a module type is not supported, or no Pooling module is listed.</exception>
    public static SentenceTransformerConfig Load(string directory)
    {
        var modulesPath = Path.Combine(directory, ModulesFile);
        if (!File.Exists(modulesPath)) throw new FileNotFoundException($"{modulesPath}: file not found.", modulesPath);
        JsonArray modules;
        try
        {
            modules = JsonNode.Parse(File.ReadAllText(modulesPath)) as JsonArray
                ?? throw new InvalidDataException($"{modulesPath}: expected a JSON array of modules.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{modulesPath}: not valid JSON ({e.Message}).", e);
        }

        string? transformerPath = null, poolingPath = null;
        var normalize = false;
        foreach (var (module, index) in modules.Select((m, i) => (m as JsonObject, i)))
        {
            var fields = new JsonFields(module ?? throw new InvalidDataException($"{modulesPath}: module {index} is not an object."),
                $"{modulesPath} module {index}");
            var path = fields.String("path", "");
            switch (fields.String("type", ""))
            {
                case TransformerType: transformerPath = path; break;
                case PoolingType: poolingPath = path; break;
                case NormalizeType: normalize = true; break;
                default: throw fields.Invalid("type", $"one of {TransformerType}, {PoolingType}, {NormalizeType}");
            }
        }
        if (transformerPath is null) throw new InvalidDataException($"{modulesPath}: no {TransformerType} module is listed.");
        if (poolingPath is null) throw new InvalidDataException($"{modulesPath}: no {PoolingType} module is listed.");

        var sentenceBertPath = Path.Combine(directory, transformerPath, SentenceBertConfigFile);
        var sentenceBert = File.Exists(sentenceBertPath)
            ? new JsonFields(JsonFields.ParseObject(sentenceBertPath), sentenceBertPath)
            : (JsonFields?)null;
        return new SentenceTransformerConfig
        {
            TransformerPath = transformerPath,
            MaxSeqLength = sentenceBert is { } s && s.Has("max_seq_length") ? s.Int("max_seq_length", 0) : null,
            DoLowerCase = sentenceBert?.Bool("do_lower_case", false) ?? false,
            Pooling = PoolingConfig.Load(Path.Combine(directory, poolingPath, ConfigFile)),
            Normalize = normalize,
        };
    }

    /// <summary>
    /// Writes <c>modules.json</c> (the Transformer module at the directory itself), <c>sentence_bert_config.json</c>,
    /// <c>1_Pooling/config.json</c> and, when normalising, <c>2_Normalize/</c>.
    /// </summary>
    public void Save(string directory)
    {
        var modules = new JsonArray(Module(0, "", TransformerType), Module(1, DefaultPoolingPath, PoolingType));
        if (Normalize)
        {
            modules.Add(Module(2, DefaultNormalizePath, NormalizeType));
            Directory.CreateDirectory(Path.Combine(directory, DefaultNormalizePath));
        }
        var options = new JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(Path.Combine(directory, ModulesFile), modules.ToJsonString(options));
        var sentenceBert = new JsonObject { ["max_seq_length"] = MaxSeqLength, ["do_lower_case"] = DoLowerCase };
        File.WriteAllText(Path.Combine(directory, SentenceBertConfigFile), sentenceBert.ToJsonString(options));
        Directory.CreateDirectory(Path.Combine(directory, DefaultPoolingPath));
        Pooling.Save(Path.Combine(directory, DefaultPoolingPath, ConfigFile));
    }

    private static JsonObject Module(int index, string path, string type) => new()
    {
        ["idx"] = index, ["name"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture), ["path"] = path, ["type"] = type,
    };
}
