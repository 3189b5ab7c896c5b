using MLNet.Transformers.Data;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tokenizers.Loading;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// A fine-tuned text classifier in a pipeline. It keeps every input column and adds, for
/// <see cref="TextClassificationTask.Multiclass"/>, <c>Score</c> (one probability per class, in key order) and
/// <c>PredictedLabel</c> (the label's key type); for <see cref="TextClassificationTask.Binary"/>, <c>Score</c> (logit
/// margin), <c>Probability</c> and <c>PredictedLabel</c> (Boolean). Rows are scored in batches. Saved inside the model
/// zip with its configuration, weights (safetensors) and tokenizer files, so it predicts identically after loading.
/// Thread-safe: one instance serves a prediction engine pool.
/// </summary>
public sealed class TextClassificationTransformer : RowToRowTransformerBase, IModelComponent<TextClassificationTransformer>
{
    private const string SettingsEntry = "settings.json", HistoryEntry = "history.json", TokenizerPrefix = "tokenizer-";

    private readonly SequenceClassifier _classifier;
    private readonly Settings _settings;

    internal TextClassificationTransformer(SequenceClassifier classifier, Settings settings, TrainingHistory? history)
    {
        _classifier = classifier;
        _settings = settings;
        TrainingHistory = history;
    }

    /// <inheritdoc />
    public static string ComponentName => "TextClassification";

    /// <inheritdoc />
    public static int FormatVersion => 1;

    /// <summary>Binary or multiclass.</summary>
    public TextClassificationTask Task => _settings.Task;

    /// <summary>The class names in score order (the label's key values; <c>False</c>, <c>True</c> for binary).</summary>
    public IReadOnlyList<string> LabelNames => _classifier.Labels;

    /// <summary>The text column read.</summary>
    public string TextColumnName => _settings.TextColumn;

    /// <summary>The second text column read, or null.</summary>
    public string? TextPairColumnName => _settings.PairColumn;

    /// <summary>The label column the model was trained on.</summary>
    public string LabelColumnName => _settings.LabelColumn;

    /// <summary>Longest token sequence; longer texts are truncated.</summary>
    public int MaxTokens => _settings.MaxTokens;

    /// <summary>The model's configuration (with <c>id2label</c> set to <see cref="LabelNames"/>).</summary>
    public BertConfig ModelConfig => _classifier.Model.Config;

    /// <summary>The losses, learning rates and validations of the training run, or null when none was recorded.</summary>
    public TrainingHistory? TrainingHistory { get; }

    /// <summary>The fine-tuned model (its weights must not be changed while the transformer is in use).</summary>
    public BertForSequenceClassification Model => _classifier.Model;

    /// <summary>Writes the model as a Hugging Face checkpoint directory: <c>config.json</c>, <c>model.safetensors</c> and the tokenizer files.</summary>
    public void SaveCheckpoint(string directory)
    {
        _classifier.Model.SavePretrained(directory);
        _classifier.TokenizerFiles.WriteTo(directory);
    }

    /// <summary>Class probabilities of one text (or text pair), in <see cref="LabelNames"/> order.</summary>
    public float[] PredictProbabilities(string text, string? pair = null) =>
        _classifier.Score(_classifier.Encoder.Encode([(text, pair)])).Probabilities;

    /// <inheritdoc />
    protected override RowMapper MakeRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    /// <inheritdoc />
    public override void Save(ModelSaveContext ctx)
    {
        ctx.WriteJson(SettingsEntry, _settings with { TokenizerFiles = [.. _classifier.TokenizerFiles.Files.Keys] });
        using (var config = new StreamWriter(ctx.CreateEntry(BertConfig.FileName))) config.Write(ModelConfig.ToJson());
        using (var weights = ctx.CreateEntry(CheckpointFiles.Safetensors)) _classifier.Model.SaveWeights(weights);
        foreach (var (name, bytes) in _classifier.TokenizerFiles.Files)
        {
            using var entry = ctx.CreateEntry(TokenizerPrefix + name);
            entry.Write(bytes);
        }
        if (TrainingHistory is not null)
            using (var history = new StreamWriter(ctx.CreateEntry(HistoryEntry))) history.Write(TrainingHistory.ToJson());
    }

    /// <inheritdoc />
    public static TextClassificationTransformer Load(ModelLoadContext ctx)
    {
        var settings = ctx.ReadJson<Settings>(SettingsEntry);
        if (settings.TokenizerFiles is not { Length: > 0 } tokenizerNames) throw ctx.Corrupt(SettingsEntry, "no tokenizer files");
        var config = BertConfig.FromJson(ReadText(ctx, BertConfig.FileName), ctx.Directory + BertConfig.FileName);
        var model = new BertForSequenceClassification(config);
        using (var weights = ctx.OpenEntry(CheckpointFiles.Safetensors))
        using (var source = SafetensorsReader.Load(weights, ctx.Directory + CheckpointFiles.Safetensors))
            model.LoadWeights(source).EnsureComplete(allowUnexpected: false);
        var files = tokenizerNames.ToDictionary(n => n, n => ReadBytes(ctx, TokenizerPrefix + n), StringComparer.Ordinal);
        var tokenizerFiles = TokenizerFiles.FromContents(files);
        var encoder = new TextEncoder(tokenizerFiles.Load(), settings.MaxTokens, config.PadTokenId);
        var history = ctx.ContainsEntry(HistoryEntry) ? TrainingHistory.FromJson(ReadText(ctx, HistoryEntry)) : null;
        return new TextClassificationTransformer(new SequenceClassifier(model, encoder, tokenizerFiles, weightsFixed: true), settings, history);
    }

    private static string ReadText(ModelLoadContext ctx, string name)
    {
        using var reader = new StreamReader(ctx.OpenEntry(name));
        return reader.ReadToEnd();
    }

    private static byte[] ReadBytes(ModelLoadContext ctx, string name)
    {
        using var stream = ctx.OpenEntry(name);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>What the transformer saves besides tensors and tokenizer files.</summary>
    internal sealed record Settings(TextClassificationTask Task, string TextColumn, string? PairColumn, string LabelColumn,
        int MaxTokens, int InferenceBatchSize, string[]? TokenizerFiles = null);

    /// <summary>The output columns of a task with <paramref name="labels"/> classes.</summary>
    internal static DataViewSchema.DetachedColumn[] OutputColumns(TextClassificationTask task, IReadOnlyList<string> labels) =>
        task == TextClassificationTask.Binary
            ?
            [
                new(DefaultColumnNames.Score, NumberDataViewType.Single),
                new(DefaultColumnNames.Probability, NumberDataViewType.Single),
                new(DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance),
            ]
            :
            [
                new(DefaultColumnNames.Score, new VectorDataViewType(NumberDataViewType.Single, labels.Count)),
                new(DefaultColumnNames.PredictedLabel, new KeyDataViewType((ulong)labels.Count), AnnotationUtils.KeyValuesAnnotation(labels)),
            ];

    private sealed class Mapper : BatchRowMapper
    {
        private readonly TextClassificationTransformer _parent;
        private readonly DataViewSchema.Column _text;
        private readonly DataViewSchema.Column? _pair;
        private readonly DataViewSchema.Column? _rawLabel;

        public Mapper(TextClassificationTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema, OutputColumns(parent.Task, parent.LabelNames), parent._settings.InferenceBatchSize)
        {
            _parent = parent;
            _text = LabeledTextReader.RequireText(inputSchema, parent.TextColumnName, "text");
            _pair = parent.TextPairColumnName is { } pair ? LabeledTextReader.RequireText(inputSchema, pair, "text pair") : null;
            if (parent.Task == TextClassificationTask.Multiclass && inputSchema.GetColumnOrNull(parent.LabelColumnName) is { } label)
            {
                if (label.Type is KeyDataViewType) LabeledTextReader.KeyToClass(label, parent.LabelNames, "the scored data");
                else if (label.Type is TextDataViewType) _rawLabel = label;
            }
        }

        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) =>
            new[] { _text, _pair, _rawLabel }.OfType<DataViewSchema.Column>();

        protected override void MapBatch(RowBatch batch)
        {
            var labels = _parent.LabelNames;
            if (_rawLabel is { } rawLabel)
                foreach (var value in batch.GetInput<ReadOnlyMemory<char>>(rawLabel))
                    if (!value.IsEmpty && !labels.Contains(value.ToString()))
                        throw new InvalidDataException($"The label '{value}' in column '{rawLabel.Name}' was never seen in training "
                            + $"(known: {string.Join(", ", labels)}).");
            var texts = batch.GetInput<ReadOnlyMemory<char>>(_text);
            var pairs = _pair is { } p ? batch.GetInput<ReadOnlyMemory<char>>(p) : default;
            var inputs = new (string, string?)[batch.Count];
            for (var i = 0; i < inputs.Length; i++) inputs[i] = (texts[i].ToString(), _pair is null ? null : pairs[i].ToString());
            var classifier = _parent._classifier;
            var (probabilities, logits) = classifier.Score(classifier.Encoder.Encode(inputs));
            var k = labels.Count;
            if (_parent.Task == TextClassificationTask.Binary) WriteBinary(batch, probabilities, logits);
            else WriteMulticlass(batch, probabilities, k);
        }

        private static void WriteBinary(RowBatch batch, float[] probabilities, float[] logits)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var margin = logits[2 * i + 1] - logits[2 * i];
                if (batch.IsOutputActive(0)) batch.GetOutput<float>(0)[i] = margin;
                if (batch.IsOutputActive(1)) batch.GetOutput<float>(1)[i] = probabilities[2 * i + 1];
                if (batch.IsOutputActive(2)) batch.GetOutput<bool>(2)[i] = margin > 0;
            }
        }

        private static void WriteMulticlass(RowBatch batch, float[] probabilities, int k)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var row = probabilities.AsSpan(i * k, k);
                if (batch.IsOutputActive(0)) batch.GetOutput<VBuffer<float>>(0)[i] = new VBuffer<float>(k, row.ToArray());
                if (batch.IsOutputActive(1)) batch.GetOutput<uint>(1)[i] = (uint)ArgMax(row) + 1;
            }
        }

        private static int ArgMax(ReadOnlySpan<float> values)
        {
            var best = 0;
            for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
            return best;
        }
    }
}
