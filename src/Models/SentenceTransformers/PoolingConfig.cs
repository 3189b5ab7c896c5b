using System.Text.Json;
using System.Text.Json.Nodes;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Pooling;

namespace MLNet.Transformers.Models.SentenceTransformers;

/// <summary>
/// A sentence-transformers <c>Pooling</c> module's <c>config.json</c>: which poolings to apply; when several are on,
/// their vectors are concatenated in the order cls, max, mean, mean-sqrt-len (as sentence-transformers does).
/// </summary>
public sealed class PoolingConfig
{
    private static readonly (PoolingMode Mode, string Field)[] ModeFields =
    [
        (PoolingMode.Cls, "pooling_mode_cls_token"),
        (PoolingMode.Max, "pooling_mode_max_tokens"),
        (PoolingMode.Mean, "pooling_mode_mean_tokens"),
        (PoolingMode.MeanSqrtLen, "pooling_mode_mean_sqrt_len_tokens"),
    ];

    private static readonly string[] UnsupportedModeFields = ["pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"];

    /// <summary>Width of the token states (<c>word_embedding_dimension</c>).</summary>
    public required int WordEmbeddingDimension { get; init; }

    /// <summary>The poolings applied, kept in concatenation order (cls, max, mean, mean-sqrt-len). Default mean only.</summary>
    public IReadOnlyList<PoolingMode> Modes
    {
        get;
        init => field = [.. ModeFields.Select(m => m.Mode).Where(value.Contains)];
    } = [PoolingMode.Mean];

    /// <summary>Width of the sentence vector: one <see cref="WordEmbeddingDimension"/> per mode.</summary>
    public int SentenceEmbeddingDimension => WordEmbeddingDimension * Modes.Count;

    /// <summary>Reads a pooling <c>config.json</c>.</summary>
    /// <exception cref="InvalidDataException">A field is malformed, no mode is on, or a mode is not supported.</exception>
    public static PoolingConfig Load(string path)
    {
        var json = JsonFields.ParseObject(path);
        var fields = new JsonFields(json, path);
        foreach (var unsupported in UnsupportedModeFields)
        {
            if (fields.Bool(unsupported, false))
                throw new InvalidDataException($"{path}: {unsupported} is not supported (cls, mean, max and mean_sqrt_len are).");
        }
        var modes = ModeFields.Where(m => fields.Bool(m.Field, false)).Select(m => m.Mode).ToList();
        if (modes.Count == 0) throw new InvalidDataException($"{path}: no pooling mode is set.");
        var dimension = fields.Int("word_embedding_dimension", 0);
        if (dimension <= 0) throw fields.Invalid("word_embedding_dimension", "a positive integer");
        return new PoolingConfig { WordEmbeddingDimension = dimension, Modes = modes };
    }

    /// <summary>Writes this configuration as a pooling <c>config.json</c>.</summary>
    public void Save(string path)
    {
        var json = new JsonObject { ["word_embedding_dimension"] = WordEmbeddingDimension };
        foreach (var (mode, field) in ModeFields) json[field] = Modes.Contains(mode);
        foreach (var field in UnsupportedModeFields) json[field] = false;
        json["include_prompt"] = true;
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
