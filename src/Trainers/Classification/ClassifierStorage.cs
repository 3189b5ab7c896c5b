using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Recurrent;
using MLNet.Transformers.Pipeline;
using MLNet.Transformers.Tokenizers.Loading;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// The entries a text classifier stores in its directory of ML.NET's model zip: <c>settings.json</c>,
/// <c>config.json</c> (Hugging Face's, with <c>id2label</c> = the class names), <c>model.safetensors</c>, one
/// <c>tokenizer-NAME</c> entry per tokenizer file, and <c>history.json</c> when training recorded one. Loading checks
/// each entry and names the damaged one in an <see cref="InvalidDataException"/>.
/// </summary>
internal static class ClassifierStorage
{
    private const string SettingsEntry = "settings.json", HistoryEntry = "history.json", TokenizerPrefix = "tokenizer-";

    /// <summary>Writes the classifier's entries.</summary>
    /// <exception cref="InvalidOperationException">The classifier scores in bfloat16, which a saved model cannot keep.</exception>
    public static void Save(ModelWriter writer, SequenceClassifier classifier, ClassifierSettings settings, TrainingHistory? history)
    {
        ComputeBackends.RequireSavable(settings.Precision);
        var tokenizerFiles = classifier.TokenizerFiles.Files;
        writer.WriteJson(SettingsEntry, settings with { TokenizerFiles = [.. tokenizerFiles.Keys] });
        writer.WriteText(BertConfig.FileName, classifier.Network.ConfigJson());
        writer.Write(CheckpointFiles.Safetensors, classifier.Network.SaveWeights);
        foreach (var (name, bytes) in tokenizerFiles) writer.WriteBytes(TokenizerPrefix + name, bytes);
        if (history is not null) writer.WriteText(HistoryEntry, history.ToJson());
    }

    /// <summary>Reads the classifier's entries back.</summary>
    /// <exception cref="InvalidDataException">An entry is missing or damaged; the message names it.</exception>
    public static (SequenceClassifier Classifier, ClassifierSettings Settings, TrainingHistory? History) Load(ModelReader reader)
    {
        var settings = reader.ReadJson<ClassifierSettings>(SettingsEntry);
        if (settings.Problem() is { } problem) throw reader.Corrupt(SettingsEntry, problem);
        var (network, padTokenId) = settings.Architecture == TextClassifierArchitecture.Transformer
            ? LoadTransformer(reader, settings)
            : LoadRecurrent(reader, settings);
        var tokenizerFiles = TokenizerFiles.FromContents(settings.TokenizerFiles!.ToDictionary(
            name => name, name => reader.ReadBytes(TokenizerPrefix + name), StringComparer.Ordinal));
        var encoder = new TextEncoder(LoadTokenizer(reader, tokenizerFiles), settings.MaxTokens, padTokenId);
        var history = reader.Contains(HistoryEntry) ? ReadHistory(reader) : null;
        return (new SequenceClassifier(network, encoder, tokenizerFiles, weightsFixed: true, settings.Precision), settings, history);
    }

    private static (IClassifierNetwork Network, int PadTokenId) LoadTransformer(ModelReader reader, ClassifierSettings settings)
    {
        var json = reader.ReadText(BertConfig.FileName);
        if (IsGpt2(json)) return LoadDecoder(reader, settings, json);
        var config = BertConfig.FromJson(json, reader.PathOf(BertConfig.FileName));
        RequireLabels(reader, settings, config.Labels.Count);
        if (settings.MaxTokens > config.MaxSequenceLength)
            throw reader.Corrupt(SettingsEntry, $"maxTokens {settings.MaxTokens}, more than the model's {config.MaxSequenceLength} positions");
        var model = new BertForSequenceClassification(config);
        using (var weights = ReadWeights(reader))
            model.LoadWeights(weights).EnsureComplete(allowUnexpected: false);
        return (new TransformerNetwork(model), config.PadTokenId);
    }

    /// <summary>A GPT-2 classifier (<c>model_type</c> <c>gpt2</c>), padded with <c>pad_token_id</c> (else end-of-text).</summary>
    private static (IClassifierNetwork Network, int PadTokenId) LoadDecoder(ModelReader reader, ClassifierSettings settings, string json)
    {
        var config = Gpt2Config.FromJson(json, reader.PathOf(BertConfig.FileName));
        RequireLabels(reader, settings, config.Labels?.Count ?? 0);
        if (settings.MaxTokens > config.MaxPositions)
            throw reader.Corrupt(SettingsEntry, $"maxTokens {settings.MaxTokens}, more than the model's {config.MaxPositions} positions");
        var model = new Gpt2ForSequenceClassification(config);
        using (var weights = ReadWeights(reader))
            model.LoadWeights(weights).EnsureComplete(allowUnexpected: false);
        return (new DecoderNetwork(model), config.PadTokenId ?? config.EosTokenId);
    }

    /// <summary>Whether a stored <c>config.json</c> names <c>model_type</c> <c>gpt2</c> (malformed text is left to the parser to report).</summary>
    private static bool IsGpt2(string json)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(json) is System.Text.Json.Nodes.JsonObject root
                && root["model_type"] is System.Text.Json.Nodes.JsonValue type && type.TryGetValue<string>(out var name) && name == Gpt2Config.ModelType;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static (IClassifierNetwork Network, int PadTokenId) LoadRecurrent(ModelReader reader, ClassifierSettings settings)
    {
        var config = RecurrentClassifierConfig.FromJson(reader.ReadText(BertConfig.FileName), reader.PathOf(BertConfig.FileName));
        RequireLabels(reader, settings, config.Labels.Count);
        if (RecurrentNetwork.ArchitectureOf(config) != settings.Architecture)
            throw reader.Corrupt(BertConfig.FileName, $"a {RecurrentNetwork.ArchitectureOf(config)} network where the settings name {settings.Architecture}");
        var model = new RecurrentClassifier(config);
        using (var weights = ReadWeights(reader))
            model.LoadWeights(weights);
        return (new RecurrentNetwork(model, settings.Architecture), config.PadTokenId);
    }

    private static void RequireLabels(ModelReader reader, ClassifierSettings settings, int count)
    {
        var classes = settings.Task == TextClassificationTask.Binary ? "2" : "at least 2";
        if (count < 2 || (settings.Task == TextClassificationTask.Binary && count != 2))
            throw reader.Corrupt(BertConfig.FileName, $"{count} class labels (id2label) for a {settings.Task} classifier, which needs {classes}");
    }

    private static ITensorSource ReadWeights(ModelReader reader) =>
        reader.Read(CheckpointFiles.Safetensors, stream => SafetensorsReader.Load(stream, reader.PathOf(CheckpointFiles.Safetensors)));

    private static Tokenizers.Tokenizer LoadTokenizer(ModelReader reader, TokenizerFiles files)
    {
        try
        {
            return files.Load();
        }
        catch (TokenizerFormatException error)
        {
            // The message names the temporary copy the tokenizer was loaded from: name the entry instead.
            throw reader.Corrupt(TokenizerPrefix + Path.GetFileName(error.FilePath), $"a tokenizer file that does not load ({error.Message[(error.FilePath.Length + 2)..]})");
        }
        catch (Exception error) when (error is InvalidDataException or FormatException or ArgumentException or KeyNotFoundException)
        {
            throw reader.Corrupt(TokenizerPrefix + files.Files.Keys.First(), $"a tokenizer that does not load ({error.Message})");
        }
    }

    private static TrainingHistory ReadHistory(ModelReader reader)
    {
        try
        {
            return TrainingHistory.FromJson(reader.ReadText(HistoryEntry));
        }
        catch (InvalidDataException error)
        {
            throw reader.Corrupt(HistoryEntry, $"no training history ({error.Message})");
        }
    }
}
