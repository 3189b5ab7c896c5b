using MLNet.Transformers.Data;
using MLNet.Transformers.Models;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tokenizers.Loading;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// Fine-tunes a BERT-family encoder with a classification head on texts (or text pairs) and their labels: from a
/// checkpoint, or from a fresh model of a preset size with a given tokenizer. Created through
/// <c>context.BinaryClassification.Trainers.TextClassification(...)</c> or
/// <c>context.MulticlassClassification.Trainers.TextClassification(...)</c>.
/// </summary>
public sealed class TextClassificationTrainer : IEstimator<TextClassificationTransformer>
{
    private const ulong DropoutSeedSalt = 0xD0D0UL;

    /// <summary>Creates the trainer; the options are checked here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public TextClassificationTrainer(TextClassificationTask task, TextClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Task = task;
        Options = options;
    }

    /// <summary>Binary or multiclass.</summary>
    public TextClassificationTask Task { get; }

    /// <summary>The options.</summary>
    public TextClassificationOptions Options { get; }

    /// <inheritdoc />
    public TextClassificationTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>
    /// Trains on <paramref name="trainData"/>; with <paramref name="validationData"/>, validates after every epoch
    /// (for early stopping and keeping the best weights).
    /// </summary>
    /// <exception cref="SchemaException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidDataException">The training set is empty or has one class only, a label is missing, or a validation label was never seen in training.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite (the message names the step).</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public TextClassificationTransformer Fit(IDataView trainData, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        var options = Options;
        var classNames = LabeledTextReader.ClassNames(trainData.Schema, options, Task);
        var train = LabeledTextReader.Read(trainData, options, Task, classNames, "training data");
        RequireTrainable(train, classNames);
        var validation = validationData is null ? null
            : LabeledTextReader.Read(validationData, options, Task, classNames, "validation data");
        ReportPreparing(options);
        var classifier = BuildClassifier(options, classNames);
        var examples = classifier.Encoder.Encode(train.Inputs);
        var training = new ClassifierTraining(classifier, examples, train.Labels, ClassWeights(options, classNames), options.FrozenLayers);
        var loopOptions = options with { LearningRate = options.EffectiveLearningRate };
        var validate = validation is null ? null : Validator(classifier, validation, options.InferenceBatchSize);
        var history = new TrainingLoop(training, loopOptions, validate).Run(options.CancellationToken);
        var settings = new TextClassificationTransformer.Settings(Task, options.TextColumnName, options.TextPairColumnName,
            options.LabelColumnName, options.MaxTokens, options.InferenceBatchSize);
        return new TextClassificationTransformer(classifier.WithFixedWeights(), settings, history);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        static bool IsText(SchemaShape.Column c) => c.Kind == SchemaShape.VectorKind.Scalar && c.ItemType is TextDataViewType;
        inputSchema.RequireColumn(Options.TextColumnName, "text of text classification", IsText, "Text");
        if (Options.TextPairColumnName is { } pair) inputSchema.RequireColumn(pair, "text pair of text classification", IsText, "Text");
        var binary = Task == TextClassificationTask.Binary;
        inputSchema.RequireColumn(Options.LabelColumnName, "label of text classification",
            c => c.Kind == SchemaShape.VectorKind.Scalar && (binary ? c.ItemType is BooleanDataViewType : c.IsKey),
            binary ? "Boolean" : "a key");
        return inputSchema.With([.. TextClassificationTransformer.OutputColumns(Task, ["1", "2"])
            .Select(c => SchemaShape.Column.Of(DataViewSchema.Create([c])[0]))]);
    }

    private static void RequireTrainable(LabeledTexts train, IReadOnlyList<string> classNames)
    {
        if (train.Labels.Length == 0) throw new InvalidDataException("The training data has no rows.");
        var seen = train.Labels.Distinct().ToList();
        if (seen.Count < 2)
            throw new InvalidDataException($"The training data has one class only ('{classNames[seen[0]]}'): a classifier needs at least two.");
    }

    private static SequenceClassifier BuildClassifier(TextClassificationOptions options, IReadOnlyList<string> classNames)
    {
        var tokenizerFiles = TokenizerFiles.FromPath(options.TokenizerPath ?? options.ModelPath!);
        var tokenizer = tokenizerFiles.Load();
        var config = options.ModelPath is { } path ? BertConfig.Load(path)
            : BertPresets.Create(options.Preset, tokenizer.VocabularySize,
                Math.Max(BertPresets.DefaultMaxPositionEmbeddings, options.MaxTokens), TextEncoder.FindPadTokenId(tokenizer));
        config.Labels = classNames;
        if (options.Dropout is { } dropout)
            (config.HiddenDropoutProb, config.AttentionProbsDropoutProb, config.ClassifierDropout) = (dropout, dropout, dropout);
        if (options.MaxTokens > config.MaxSequenceLength)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxTokens,
                $"Option MaxTokens {options.MaxTokens} exceeds the model's longest sequence {config.MaxSequenceLength}.");
        var model = new BertForSequenceClassification(config, SeedMixer.Mix(options.Seed, DropoutSeedSalt, 0));
        model.Initialize((ulong)(uint)options.Seed);
        if (options.ModelPath is { } checkpoint)
        {
            var headNames = model.Head.Parameters.Select(p => p.Name).ToHashSet();
            model.LoadWeights(checkpoint).EnsureComplete(headNames.Contains, allowUnexpected: true);
        }
        return new SequenceClassifier(model, new TextEncoder(tokenizer, options.MaxTokens, config.PadTokenId), tokenizerFiles, weightsFixed: false);
    }

    private static float[]? ClassWeights(TextClassificationOptions options, IReadOnlyList<string> classNames)
    {
        if (options.ClassWeights is not { } weights) return null;
        var unknown = weights.Keys.Where(k => !classNames.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Option ClassWeights names {string.Join(", ", unknown.Select(u => $"'{u}'"))}, "
                + $"which are not classes of the label (classes: {string.Join(", ", classNames)}).", nameof(options));
        return [.. classNames.Select(n => weights.FirstOrDefault(w => string.Equals(w.Key, n, StringComparison.OrdinalIgnoreCase)) is { Key: not null } w ? w.Value : 1f)];
    }

    private static Func<ValidationResult> Validator(SequenceClassifier classifier, LabeledTexts validation, int batchSize)
    {
        var texts = classifier.Encoder.Encode(validation.Inputs);
        return () => ClassificationMetrics.Compute(classifier.ScoreAll(texts, batchSize), validation.Labels, classifier.Labels.Count);
    }

    private static void ReportPreparing(TextClassificationOptions options) =>
        options.Progress?.Report(new TrainingProgress(TrainingPhase.Preparing, 1, options.Epochs, 0, 0, double.NaN, 0, 0, null));
}
