using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Recurrent;
using MLNet.Transformers.Pipeline;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// Fine-tunes a BERT-family encoder with a classification head on texts (or text pairs) and their labels: from a
/// Hugging Face checkpoint directory or an ONNX export, or from a fresh model of a preset size with a given tokenizer;
/// or trains a recurrent baseline (LSTM, GRU, attention-RNN) from scratch (<see cref="TextClassificationOptions.Architecture"/>).
/// Weights the checkpoint lacks start fresh and are named in one warning on the context's log. An ML.NET estimator,
/// created through <c>mlContext.BinaryClassification.Trainers.TextClassification(...)</c> or
/// <c>mlContext.MulticlassClassification.Trainers.TextClassification(...)</c>; its seed comes from that
/// <c>MLContext</c> unless the options name one.
/// </summary>
public sealed class TextClassificationTrainer : IEstimator<TextClassificationTransformer>
{
    private const ulong DropoutSeedSalt = 0xD0D0UL;

    private readonly IHost _host;

    /// <summary>Creates the trainer; the options are checked here.</summary>
    /// <exception cref="InvalidOptionException">An option is out of range (the message names it).</exception>
    internal TextClassificationTrainer(IHostEnvironment env, TextClassificationTask task, TextClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _host = env.Register(nameof(TextClassificationTrainer));
        Task = task;
        Options = options;
    }

    /// <summary>Binary or multiclass.</summary>
    public TextClassificationTask Task { get; }

    /// <summary>The options.</summary>
    public TextClassificationOptions Options { get; }

    /// <summary>
    /// Trains on <paramref name="input"/>; with <see cref="TextClassificationOptions.ValidationSet"/>, validates after
    /// every epoch (for early stopping and keeping the best weights).
    /// </summary>
    /// <exception cref="SchemaException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidOptionException">MaxTokens exceeds the model's positions (the message names the limit).</exception>
    /// <exception cref="InvalidDataException">The training set is empty or has one class only, a label is missing, or a validation label was never seen in training.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite (the message names the step).</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public TextClassificationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var options = Options with { Seed = Options.Seed ?? _host.Rand.Next() };
        var classNames = LabeledTextReader.ClassNames(input.Schema, options, Task);
        var model = ModelSource.Resolve(options);
        options = options with { MaxTokens = model.MaxTokens };
        var train = LabeledTextReader.Read(input, options, Task, classNames, "training data");
        RequireTrainable(train, classNames);
        var validation = options.ValidationSet is { } validationSet
            ? LabeledTextReader.Read(validationSet, options, Task, classNames, "validation data")
            : null;
        ReportPreparing(options, truncated: null);
        var (classifier, newlyInitialized) = BuildClassifier(model, options, classNames);
        if (newlyInitialized is { Count: > 0 })
            Warn(NewlyInitializedMessage(options.ModelPath!, newlyInitialized, classifier.Network is DecoderNetwork ? "GPT2ForSequenceClassification" : nameof(BertForSequenceClassification)));
        var examples = classifier.Encoder.Encode(train.Inputs);
        var truncated = examples.Count(e => e.Truncated);
        ReportPreparing(options, truncated);
        var training = new ClassifierTraining(classifier, examples, train.Labels, ClassWeights(options, classNames), options.FrozenLayers);
        var loopOptions = options with { LearningRate = options.EffectiveLearningRate };
        var validate = validation is null ? null : Validator(classifier, validation, options.InferenceBatchSize);
        var history = new TrainingLoop(training, loopOptions, validate).Run(options.CancellationToken);
        history.TruncatedRowCount = truncated;
        history.NewlyInitializedWeights = newlyInitialized;
        return new TextClassificationTransformer(classifier.WithFixedWeights(options.Precision), ClassifierSettings.From(Task, options), history);
    }

    /// <summary>
    /// The columns after fitting: the input's, with the score column(s) and the predicted label added as ML.NET's
    /// classifiers add them.
    /// </summary>
    /// <exception cref="SchemaException">A text column is missing or not text, or the label is not Boolean (binary) or a key (multiclass).</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        static bool IsText(SchemaShape.Column c) => c.Kind == SchemaShape.Column.VectorKind.Scalar && c.ItemType is TextDataViewType;
        SchemaException.Require(inputSchema, Options.Sentence1ColumnName, "sentence 1 of text classification", IsText, "Text");
        if (Options.Sentence2ColumnName is { } pair) SchemaException.Require(inputSchema, pair, "sentence 2 of text classification", IsText, "Text");
        var binary = Task == TextClassificationTask.Binary;
        SchemaException.Require(inputSchema, Options.LabelColumnName, "label of text classification",
            c => c.Kind == SchemaShape.Column.VectorKind.Scalar && (binary ? c.ItemType is BooleanDataViewType : c.IsKey && c.ItemType.RawType == typeof(uint)),
            binary ? "Boolean" : "a key (map the label with MapValueToKey first)");
        // The shape knows types, not values: any two class names give the columns' types and annotation kinds.
        var outputs = ClassifierOutputs.Create(ClassifierSettings.From(Task, Options), [bool.FalseString, bool.TrueString], new DataViewSchema.Builder().ToSchema());
        return SchemaShapes.With(inputSchema, outputs);
    }

    private static void RequireTrainable(LabeledTexts train, IReadOnlyList<string> classNames)
    {
        if (train.Labels.Length == 0) throw new InvalidDataException("The training data has no rows.");
        var seen = train.Labels.Distinct().ToList();
        if (seen.Count < 2)
            throw new InvalidDataException($"The training data has one class only ('{classNames[seen[0]]}'): a classifier needs at least two.");
    }

    /// <summary>
    /// The classifier to train: the whole model initialised from the seed, then, from a checkpoint, every weight it
    /// holds. Returns the parameters the checkpoint lacked (the head, a missing pooler), which keep their fresh
    /// values; null for a fresh model.
    /// </summary>
    private static (SequenceClassifier Classifier, List<string>? NewlyInitialized) BuildClassifier(ModelSource source,
        TextClassificationOptions options, IReadOnlyList<string> classNames)
    {
        if (options.IsRecurrent) return (BuildRecurrent(source, options, classNames), null);
        if (source.Decoder is { } decoder) return BuildDecoder(source, decoder, options, classNames);
        var config = source.Config!;
        config.Labels = classNames;
        if (options.Dropout is { } dropout)
            (config.HiddenDropoutProb, config.AttentionProbsDropoutProb, config.ClassifierDropout) = (dropout, dropout, dropout);
        var seed = options.Seed!.Value;
        var model = new BertForSequenceClassification(config, SeedMixer.Mix(seed, DropoutSeedSalt, 0), ComputeBackends.Create(options.Device, options.DegreeOfParallelism, options.TrainingPrecision));
        model.Initialize((ulong)(uint)seed);
        List<string>? newlyInitialized = null;
        if (options.ModelPath is { } checkpoint)
        {
            using var weights = CheckpointFiles.Open(checkpoint);
            newlyInitialized = [.. model.LoadPretrainedWeights(weights).Missing];
        }
        var encoder = new TextEncoder(source.Tokenizer, source.MaxTokens, config.PadTokenId);
        return (new SequenceClassifier(new TransformerNetwork(model), encoder, source.TokenizerFiles, weightsFixed: false), newlyInitialized);
    }

    /// <summary>A fresh recurrent classifier over the tokenizer's vocabulary, initialised from the seed.</summary>
    private static SequenceClassifier BuildRecurrent(ModelSource source, TextClassificationOptions options, IReadOnlyList<string> classNames)
    {
        var config = RecurrentNetwork.Configure(options.Architecture, options.Recurrent, source.Config!.VocabSize, source.Config.PadTokenId, classNames);
        var model = new RecurrentClassifier(config);
        model.Initialize((ulong)(uint)options.Seed!.Value);
        var encoder = new TextEncoder(source.Tokenizer, source.MaxTokens, config.PadTokenId);
        return new SequenceClassifier(new RecurrentNetwork(model, options.Architecture), encoder, source.TokenizerFiles, weightsFixed: false);
    }

    /// <summary>
    /// A GPT-2 checkpoint with GPT-2's last-token head, as <see cref="BuildClassifier"/> builds a BERT-family one. GPT-2
    /// has no padding token, so batches are padded with end-of-text unless <c>pad_token_id</c> names one (saved in the config).
    /// </summary>
    /// <exception cref="InvalidOptionException">A precision other than float32 is asked for.</exception>
    private static (SequenceClassifier Classifier, List<string> NewlyInitialized) BuildDecoder(ModelSource source, Gpt2Config config,
        TextClassificationOptions options, IReadOnlyList<string> classNames)
    {
        if (options.Precision != Precision.Float32)
            throw new InvalidOptionException(nameof(TextClassificationOptions.Precision), options.Precision, $"{Precision.Float32} for a GPT-2 checkpoint (int8 covers BERT-family encoders)");
        config.Labels = classNames;
        config.PadTokenId ??= config.EosTokenId;
        if (options.Dropout is { } dropout) (config.ResidualDropout, config.EmbeddingDropout, config.AttentionDropout) = (dropout, dropout, dropout);
        var seed = options.Seed!.Value;
        var model = new Gpt2ForSequenceClassification(config, SeedMixer.Mix(seed, DropoutSeedSalt, 0),
            ComputeBackends.Create(options.Device, options.DegreeOfParallelism, options.TrainingPrecision));
        model.Initialize((ulong)(uint)seed);
        using var weights = CheckpointFiles.Open(options.ModelPath!);
        List<string> newlyInitialized = [.. model.LoadWeights(weights).Missing];
        var encoder = new TextEncoder(source.Tokenizer, source.MaxTokens, config.PadTokenId.Value);
        return (new SequenceClassifier(new DecoderNetwork(model), encoder, source.TokenizerFiles, weightsFixed: false), newlyInitialized);
    }

    /// <summary>The warning Hugging Face gives for a task model whose checkpoint lacks some of its weights.</summary>
    internal static string NewlyInitializedMessage(string checkpoint, IReadOnlyList<string> names, string modelClass = nameof(BertForSequenceClassification)) =>
        $"Some weights of {modelClass} were not initialized from the model checkpoint at {checkpoint} "
        + $"and are newly initialized: [{string.Join(", ", names)}].";

    /// <summary>Writes a warning to ML.NET's log (<c>MLContext.Log</c>), on this trainer's channel.</summary>
    private void Warn(string message)
    {
        using var channel = _host.Start(nameof(Fit));
        channel.Warning(message);
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
        var batching = new InferenceBatching { BatchSize = batchSize };
        return () => ClassificationMetrics.Compute(classifier.Score(texts, batching).Probabilities, validation.Labels, classifier.Labels.Count);
    }

    private static void ReportPreparing(TextClassificationOptions options, int? truncated) =>
        options.Progress?.Report(new TrainingProgress(TrainingPhase.Preparing, 1, options.Epochs, 0, 0, double.NaN, 0, 0, null,
            TruncatedRowCount: truncated));
}
