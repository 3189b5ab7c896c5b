using MLNet.Transformers.Models.Configuration;

namespace MLNet.Transformers.Models.Onnx;

/// <summary>
/// A BERT-family ONNX export used as a checkpoint: an <c>.onnx</c> file with its tokenizer (<c>tokenizer.json</c> or
/// <c>vocab.txt</c>) and, optionally, its <c>config.json</c> beside it. Wherever a checkpoint path is accepted
/// (<see cref="BertConfig.Load"/>, <see cref="Checkpoints.CheckpointFiles.Open"/>, <c>FromPretrained</c>), such a file
/// path loads: <c>BertModel.FromPretrained("model.onnx")</c>. Without a <c>config.json</c> beside it the configuration
/// is the one the file carries in its metadata (our own exports, <see cref="Export.OnnxExporter"/>), else it is inferred
/// from the graph (<see cref="InferConfig"/>).
/// </summary>
public static class OnnxCheckpoint
{
    /// <summary>The extension of an ONNX model file.</summary>
    public const string Extension = ".onnx";

    /// <summary>The model file looked for in a checkpoint directory that holds no other weights.</summary>
    public const string FileName = "model.onnx";

    /// <summary>The tokenizer files looked for beside a model, in order of preference.</summary>
    public static IReadOnlyList<string> TokenizerFileNames { get; } = ["tokenizer.json", "vocab.txt"];

    /// <summary>Whether <paramref name="path"/> names an ONNX model file (by its <c>.onnx</c> extension).</summary>
    public static bool IsOnnxFile(string path) =>
        path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase) && !Directory.Exists(path);

    /// <summary>
    /// The configuration of the model at <paramref name="path"/>: the <c>config.json</c> beside it when there is one,
    /// else the <c>config.json</c> text in the file's metadata (<see cref="Export.OnnxExportNames.ConfigMetadataKey"/>),
    /// else the one inferred from its graph.
    /// </summary>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="InvalidDataException">The config or the model is malformed, or a size cannot be inferred.</exception>
    public static BertConfig LoadConfig(string path)
    {
        if (ConfigBeside(path) is { } config) return BertConfig.Load(config);
        using var source = OnnxTensorSource.Open(path);
        return ConfigOf(source);
    }

    /// <summary>As <see cref="LoadConfig(string)"/>, from an already opened <paramref name="source"/> of that file.</summary>
    internal static BertConfig LoadConfig(string path, OnnxTensorSource source) =>
        ConfigBeside(path) is { } config ? BertConfig.Load(config) : ConfigOf(source);

    /// <summary>The configuration the file carries in its metadata, else the one inferred from its graph.</summary>
    private static BertConfig ConfigOf(OnnxTensorSource source)
    {
        if (!source.Metadata.TryGetValue(Export.OnnxExportNames.ConfigMetadataKey, out var json)) return InferConfig(source);
        return BertConfig.FromJson(json, $"{source.Location}: metadata {Export.OnnxExportNames.ConfigMetadataKey}");
    }

    /// <summary>
    /// Reads the configuration off the graph, ignoring any <c>config.json</c>: vocabulary, hidden size, positions and
    /// token types from the embedding tables; the intermediate size from the first feed-forward weight; the layer count
    /// from the highest layer index; the head count from the attention Reshape to (batch, sequence, heads, head_dim);
    /// the LayerNorm epsilon from the graph's LayerNorms (BERT's 1e-12 when it shows none); exact GELU. Dropouts,
    /// initializer range and labels keep BERT's defaults.
    /// </summary>
    /// <exception cref="InvalidDataException">A size cannot be inferred; the message names it and asks for a config.json.</exception>
    public static BertConfig InferConfig(OnnxTensorSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return OnnxConfigInference.Infer(source);
    }

    private static string? ConfigBeside(string path)
    {
        var config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, BertConfig.FileName);
        return File.Exists(config) ? config : null;
    }

    /// <summary>The tokenizer file beside the model (<c>tokenizer.json</c> preferred over <c>vocab.txt</c>), or null when there is none.</summary>
    public static string? FindTokenizer(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return TokenizerFileNames.Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>As <see cref="FindTokenizer"/>, for a model that cannot run without its tokenizer.</summary>
    /// <exception cref="FileNotFoundException">Neither tokenizer file is beside the model; the message names the files looked for.</exception>
    public static string RequireTokenizer(string path)
    {
        if (FindTokenizer(path) is { } tokenizer) return tokenizer;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var lookedFor = string.Join(" or ", TokenizerFileNames.Select(name => Path.Combine(directory, name)));
        throw new FileNotFoundException($"{path}: no tokenizer beside the ONNX model (looked for {lookedFor}); put one there or name one.", path);
    }
}
