using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Trainers.Classification;

namespace MLNet.Transformers;

/// <summary>
/// The text classification trainer in ML.NET's binary and multiclass catalogs. The short overloads take the same
/// parameters, in the same order and with the same defaults, as Microsoft.ML.TorchSharp's <c>TextClassification</c>,
/// except that its <c>architecture</c> is replaced by <c>modelPath</c>, a Hugging Face checkpoint directory or an ONNX export: a
/// project moves over by changing a <c>using</c> and naming a checkpoint. The other overloads take every option.
/// </summary>
public static class TextClassificationCatalog
{
    /// <summary>Default of the short overloads' <c>sentence1ColumnName</c> (as Microsoft.ML.TorchSharp's).</summary>
    public const string DefaultSentence1ColumnName = "Sentence1";

    /// <summary>Default of the short overloads' <c>batchSize</c> (as Microsoft.ML.TorchSharp's).</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>Default of the short overloads' <c>maxEpochs</c> (as Microsoft.ML.TorchSharp's).</summary>
    public const int DefaultMaxEpochs = 10;

    /// <summary>
    /// Fine-tunes the checkpoint at <paramref name="modelPath"/> into a multiclass classifier of a text column (or
    /// pair); the fitted transformer adds <c>Score</c> (class probabilities, in key order) and
    /// <c>PredictedLabel</c> (the label's key type).
    /// </summary>
    /// <param name="catalog">The multiclass trainers of an <c>MLContext</c> (whose seed fixes the run).</param>
    /// <param name="labelColumnName">The label column: a key (map it with <c>MapValueToKey</c> first).</param>
    /// <param name="scoreColumnName">The score column added.</param>
    /// <param name="outputColumnName">The predicted label column added.</param>
    /// <param name="sentence1ColumnName">The text column.</param>
    /// <param name="sentence2ColumnName">The second text of sentence pairs, or null.</param>
    /// <param name="batchSize">Rows per optimizer step.</param>
    /// <param name="maxEpochs">Passes over the training data.</param>
    /// <param name="modelPath">A Hugging Face checkpoint directory (<c>config.json</c>, weights, tokenizer) or a BERT-family <c>.onnx</c> export with its <c>tokenizer.json</c> or <c>vocab.txt</c> beside it. Required; to train a fresh model use the overload with options.</param>
    /// <param name="validationSet">Held-out rows validated after every epoch (the best epoch's weights are kept), or null.</param>
    /// <exception cref="ArgumentException"><paramref name="modelPath"/> is null.</exception>
    public static TextClassificationTrainer TextClassification(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = TextClassificationOptions.DefaultLabelColumnName,
        string scoreColumnName = TextClassificationOptions.DefaultScoreColumnName,
        string outputColumnName = TextClassificationOptions.DefaultPredictedLabelColumnName,
        string sentence1ColumnName = DefaultSentence1ColumnName,
        string? sentence2ColumnName = null,
        int batchSize = DefaultBatchSize,
        int maxEpochs = DefaultMaxEpochs,
        string? modelPath = null,
        IDataView? validationSet = null) =>
        catalog.TextClassification(ShortOptions(labelColumnName, scoreColumnName, outputColumnName, sentence1ColumnName,
            sentence2ColumnName, batchSize, maxEpochs, modelPath, validationSet));

    /// <summary>
    /// A trainer that fine-tunes a transformer into a multiclass classifier of a text column (key label, from
    /// <c>MapValueToKey</c>); the fitted transformer adds <c>Score</c> (class probabilities) and <c>PredictedLabel</c>.
    /// </summary>
    /// <param name="catalog">The multiclass trainers of an <c>MLContext</c> (whose seed fixes the run unless the options name one).</param>
    /// <param name="options">Every option, with documented defaults.</param>
    public static TextClassificationTrainer TextClassification(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, TextClassificationOptions options) =>
        new(CatalogUtils.GetEnvironment(catalog), TextClassificationTask.Multiclass, options);

    /// <summary>
    /// Fine-tunes the checkpoint at <paramref name="modelPath"/> into a binary classifier of a text column (or pair);
    /// the fitted transformer adds <c>Score</c> (logit margin), <c>Probability</c> and <c>PredictedLabel</c> (Boolean).
    /// </summary>
    /// <param name="catalog">The binary trainers of an <c>MLContext</c> (whose seed fixes the run).</param>
    /// <param name="labelColumnName">The label column: Boolean.</param>
    /// <param name="scoreColumnName">The score column added.</param>
    /// <param name="outputColumnName">The predicted label column added.</param>
    /// <param name="sentence1ColumnName">The text column.</param>
    /// <param name="sentence2ColumnName">The second text of sentence pairs, or null.</param>
    /// <param name="batchSize">Rows per optimizer step.</param>
    /// <param name="maxEpochs">Passes over the training data.</param>
    /// <param name="modelPath">A Hugging Face checkpoint directory (<c>config.json</c>, weights, tokenizer) or a BERT-family <c>.onnx</c> export with its <c>tokenizer.json</c> or <c>vocab.txt</c> beside it. Required; to train a fresh model use the overload with options.</param>
    /// <param name="validationSet">Held-out rows validated after every epoch (the best epoch's weights are kept), or null.</param>
    /// <exception cref="ArgumentException"><paramref name="modelPath"/> is null.</exception>
    public static TextClassificationTrainer TextClassification(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = TextClassificationOptions.DefaultLabelColumnName,
        string scoreColumnName = TextClassificationOptions.DefaultScoreColumnName,
        string outputColumnName = TextClassificationOptions.DefaultPredictedLabelColumnName,
        string sentence1ColumnName = DefaultSentence1ColumnName,
        string? sentence2ColumnName = null,
        int batchSize = DefaultBatchSize,
        int maxEpochs = DefaultMaxEpochs,
        string? modelPath = null,
        IDataView? validationSet = null) =>
        catalog.TextClassification(ShortOptions(labelColumnName, scoreColumnName, outputColumnName, sentence1ColumnName,
            sentence2ColumnName, batchSize, maxEpochs, modelPath, validationSet));

    /// <summary>
    /// A trainer that fine-tunes a transformer into a binary classifier of a text column (Boolean label); the fitted
    /// transformer adds <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c>.
    /// </summary>
    /// <param name="catalog">The binary trainers of an <c>MLContext</c> (whose seed fixes the run unless the options name one).</param>
    /// <param name="options">Every option, with documented defaults.</param>
    public static TextClassificationTrainer TextClassification(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, TextClassificationOptions options) =>
        new(CatalogUtils.GetEnvironment(catalog), TextClassificationTask.Binary, options);

    private static TextClassificationOptions ShortOptions(string labelColumnName, string scoreColumnName, string outputColumnName,
        string sentence1ColumnName, string? sentence2ColumnName, int batchSize, int maxEpochs, string? modelPath, IDataView? validationSet) =>
        new()
        {
            LabelColumnName = labelColumnName,
            ScoreColumnName = scoreColumnName,
            PredictedLabelColumnName = outputColumnName,
            Sentence1ColumnName = sentence1ColumnName,
            Sentence2ColumnName = sentence2ColumnName,
            BatchSize = batchSize,
            Epochs = maxEpochs,
            ModelPath = modelPath ?? throw new ArgumentException(
                "Name a Hugging Face checkpoint directory (config.json, model.safetensors, tokenizer) or an .onnx export with modelPath, "
                + "or train a fresh preset model through the overload taking TextClassificationOptions (Preset, TokenizerPath).", nameof(modelPath)),
            ValidationSet = validationSet,
        };
}
