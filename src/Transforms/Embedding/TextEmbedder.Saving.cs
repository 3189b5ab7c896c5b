using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Pipeline;

namespace MLNet.Transformers.Transforms;

public sealed partial class TextEmbedder
{
    private const string SettingsEntry = "embedding.json";

    /// <summary>
    /// Writes the whole model into a pipeline's zip: the settings, <c>config.json</c>, <c>model.safetensors</c>
    /// (streamed) and the tokenizer files, each an entry of the component's directory.
    /// </summary>
    /// <exception cref="InvalidOperationException">The embedder runs in bfloat16, which a saved model cannot keep.</exception>
    internal void Save(ModelWriter writer)
    {
        ComputeBackends.RequireSavable(Settings.Precision);
        writer.WriteJson(SettingsEntry, Settings);
        writer.WriteText(BertConfig.FileName, _encoder.Config.ToJson());
        writer.Write(CheckpointFiles.Safetensors, stream => _encoder.SaveWeights(stream));
        TokenizerEntries.Save(writer, _tokenizerFiles);
    }

    /// <summary>Restores what <see cref="Save"/> wrote; the engine's degree of parallelism is left as it is.</summary>
    /// <exception cref="InvalidDataException">An entry is missing or damaged; the message names it.</exception>
    internal static TextEmbedder Load(ModelReader reader)
    {
        var settings = reader.ReadJson<TextEmbeddingSettings>(SettingsEntry);
        var config = BertConfig.FromJson(reader.ReadText(BertConfig.FileName), reader.PathOf(BertConfig.FileName));
        var encoder = new BertModel(config, addPoolingLayer: false);
        reader.Read(CheckpointFiles.Safetensors, stream =>
        {
            using var source = SafetensorsReader.Load(stream, reader.PathOf(CheckpointFiles.Safetensors));
            return encoder.LoadWeights(source);
        }).EnsureComplete();
        var (files, tokenizer) = TokenizerEntries.Load(reader);
        try
        {
            return new TextEmbedder(encoder, files, tokenizer, settings, degreeOfParallelism: null);
        }
        catch (ArgumentException error)
        {
            throw reader.Corrupt(SettingsEntry, $"settings this model refuses ({error.Message})");
        }
    }
}
