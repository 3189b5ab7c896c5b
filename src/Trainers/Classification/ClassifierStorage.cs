using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
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
    public static void Save(ModelWriter writer, SequenceClassifier classifier, ClassifierSettings settings, TrainingHistory? history)
    {
        var tokenizerFiles = classifier.TokenizerFiles.Files;
        writer.WriteJson(SettingsEntry, settings with { TokenizerFiles = [.. tokenizerFiles.Keys] });
        writer.WriteText(BertConfig.FileName, classifier.Network.ConfigJson());
        writer.Write(CheckpointFiles.Safetensors, stream => classifier.Network.SaveWeights(stream));
        foreach (var (name, bytes) in tokenizerFiles) writer.WriteBytes(TokenizerPrefix + name, bytes);
        if (history is not null) writer.WriteText(HistoryEntry, history.ToJson());
    }

    /// <summary>Reads the classifier's entries back.</summary>
    /// <exception cref="InvalidDataException">An entry is missing or damaged; the message names it.</exception>
    public static (SequenceClassifier Classifier, ClassifierSettings Settings, TrainingHistory? History) Load(ModelReader reader)
    {
        var settings = reader.ReadJson<ClassifierSettings>(SettingsEntry);
        if (settings.Problem() is { } problem) throw reader.Corrupt(SettingsEntry, problem);
        var configText = reader.ReadText(BertConfig.FileName);
        var stored = StoredNetwork.Read(configText, reader.PathOf(BertConfig.FileName));
        var classes = settings.Task == TextClassificationTask.Binary ? "2" : "at least 2";
        if (stored.Labels < 2 || (settings.Task == TextClassificationTask.Binary && stored.Labels != 2))
            throw reader.Corrupt(BertConfig.FileName, $"{stored.Labels} class labels (id2label) for a {settings.Task} classifier, which needs {classes}");
        if (settings.MaxTokens > stored.Positions)
            throw reader.Corrupt(SettingsEntry, $"maxTokens {settings.MaxTokens}, more than the model's {stored.Positions} positions");
        var network = stored.Create();
        using (var weights = reader.Read(CheckpointFiles.Safetensors, stream => SafetensorsReader.Load(stream, reader.PathOf(CheckpointFiles.Safetensors))))
            network.LoadWeights(weights).EnsureComplete(allowUnexpected: false);
        var tokenizerFiles = TokenizerFiles.FromContents(settings.TokenizerFiles!.ToDictionary(
            name => name, name => reader.ReadBytes(TokenizerPrefix + name), StringComparer.Ordinal));
        var encoder = new TextEncoder(LoadTokenizer(reader, tokenizerFiles), settings.MaxTokens, stored.PadTokenId);
        var history = reader.Contains(HistoryEntry) ? ReadHistory(reader) : null;
        return (new SequenceClassifier(network, encoder, tokenizerFiles, weightsFixed: true, settings.Precision), settings, history);
    }

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
