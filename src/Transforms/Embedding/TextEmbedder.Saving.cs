using MLNet.Transformers.Data;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;

namespace MLNet.Transformers.Transforms;

public sealed partial class TextEmbedder
{
    private const string SettingsEntry = "embedding.json";

    /// <summary>
    /// Writes the whole model into a pipeline's zip: the settings, <c>config.json</c>, <c>model.safetensors</c>
    /// (streamed) and the tokenizer files, each an entry of the component's directory.
    /// </summary>
    internal void Save(ModelSaveContext ctx)
    {
        ctx.WriteJson(SettingsEntry, Settings);
        using (var writer = new StreamWriter(ctx.CreateEntry(BertConfig.FileName))) writer.Write(_encoder.Config.ToJson());
        using (var weights = ctx.CreateEntry(CheckpointFiles.Safetensors)) _encoder.SaveWeights(weights);
        TokenizerEntries.Save(ctx, _tokenizerFiles);
    }

    /// <summary>Restores what <see cref="Save"/> wrote; the engine's degree of parallelism is left as it is.</summary>
    internal static TextEmbedder Load(ModelLoadContext ctx)
    {
        var settings = ctx.ReadJson<TextEmbeddingSettings>(SettingsEntry);
        string configJson;
        using (var reader = new StreamReader(ctx.OpenEntry(BertConfig.FileName))) configJson = reader.ReadToEnd();
        var encoder = new BertModel(BertConfig.FromJson(configJson, ctx.Directory + BertConfig.FileName), addPoolingLayer: false);
        using (var stream = ctx.OpenEntry(CheckpointFiles.Safetensors))
        using (var source = SafetensorsReader.Load(stream, ctx.Directory + CheckpointFiles.Safetensors))
            encoder.LoadWeights(source).EnsureComplete();
        var tokenizerFiles = TokenizerEntries.Load(ctx);
        return new TextEmbedder(encoder, tokenizerFiles, tokenizerFiles.Load(), settings, degreeOfParallelism: null);
    }
}
