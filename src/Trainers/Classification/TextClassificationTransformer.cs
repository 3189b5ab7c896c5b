using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNet.Transformers.Models.Attention;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Onnx.Export;
using MLNet.Transformers.Models.Recurrent;
using MLNet.Transformers.Pipeline;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Trainers.Training;

[assembly: LoadableClass(typeof(TextClassificationTransformer), null, typeof(SignatureLoadModel),
    "Text classification (MLNet.Transformers)", TextClassificationTransformer.LoaderSignature)]

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// A fine-tuned text classifier in an ML.NET pipeline. It keeps every input column and adds the columns ML.NET's
/// classifiers add, typed and annotated the same way, so <c>Evaluate</c>, <c>CrossValidate</c> and
/// <c>MapKeyToValue</c> read them: for <see cref="TextClassificationTask.Multiclass"/>, <c>Score</c> (one probability
/// per class, in key order, with the class names as slot names) and <c>PredictedLabel</c> (a key whose values are the
/// label's key values at training, as text); for <see cref="TextClassificationTask.Binary"/>, <c>Score</c> (logit
/// margin), <c>Probability</c> and <c>PredictedLabel</c> (Boolean). Rows are scored lazily, in batches, as a cursor
/// moves. <c>mlContext.Model.Save</c> stores it (configuration, safetensors weights, tokenizer files, training
/// history) and <c>mlContext.Model.Load</c> restores it, predicting the same bits. Thread-safe: one instance serves any
/// number of prediction engines.
/// </summary>
public sealed class TextClassificationTransformer : BatchTransformer, IAttentionSource
{
    /// <summary>The name ML.NET finds this transformer's loader by (at most 24 characters, as its model header holds).</summary>
    internal const string LoaderSignature = "MLNet.TextClassification";

    private static readonly ModelFormat StoredFormat = new("TXTCLASS", 0x00010001, 0x00010001, LoaderSignature, typeof(TextClassificationTransformer).Assembly);

    private readonly SequenceClassifier _classifier;
    private readonly ClassifierSettings _settings;
    private readonly InferenceBatching _batching;
    private long _truncatedRows;

    internal TextClassificationTransformer(SequenceClassifier classifier, ClassifierSettings settings, TrainingHistory? history)
    {
        _classifier = classifier;
        _settings = settings;
        _batching = new InferenceBatching { BatchSize = settings.InferenceBatchSize };
        TrainingHistory = history;
    }

    /// <summary>Binary or multiclass.</summary>
    public TextClassificationTask Task => _settings.Task;

    /// <summary>The class names in score order (the label's key values; <c>False</c>, <c>True</c> for binary).</summary>
    public IReadOnlyList<string> LabelNames => _classifier.Labels;

    /// <summary>The text column read.</summary>
    public string Sentence1ColumnName => _settings.Sentence1Column;

    /// <summary>The second text column read, or null.</summary>
    public string? Sentence2ColumnName => _settings.Sentence2Column;

    /// <summary>The label column the model was trained on.</summary>
    public string LabelColumnName => _settings.LabelColumn;

    /// <summary>The score column added.</summary>
    public string ScoreColumnName => _settings.ScoreColumn;

    /// <summary>The probability column added by a binary classifier.</summary>
    public string ProbabilityColumnName => _settings.ProbabilityColumn;

    /// <summary>The predicted label column added.</summary>
    public string PredictedLabelColumnName => _settings.PredictedLabelColumn;

    /// <summary>Longest token sequence; longer texts are truncated.</summary>
    public int MaxTokens => _settings.MaxTokens;

    /// <summary>
    /// Rows this instance has truncated while scoring (texts longer than <see cref="MaxTokens"/>), counted over
    /// every batch it scored since it was created or loaded; a row scored twice counts twice. The training rows
    /// truncated are in <see cref="TrainingHistory"/>.
    /// </summary>
    public long TruncatedRowCount => Interlocked.Read(ref _truncatedRows);

    /// <summary>The network: a transformer, or a recurrent baseline.</summary>
    public TextClassifierArchitecture Architecture => _classifier.Network.Architecture;

    /// <summary>The transformer's configuration (with <c>id2label</c> set to <see cref="LabelNames"/>).</summary>
    /// <exception cref="InvalidOperationException">The classifier is a recurrent network (see <see cref="RecurrentModel"/>).</exception>
    public BertConfig ModelConfig => TransformerModel.Config;

    /// <summary>The losses, learning rates, validations and truncated rows of the training run, or null when none was recorded.</summary>
    public TrainingHistory? TrainingHistory { get; }

    /// <summary>
    /// The parameters the fine-tuned checkpoint lacked, initialised fresh before training and named in the trainer's
    /// warning on ML.NET's log: the classification head, and the pooler of a checkpoint saved without one. Empty for a
    /// checkpoint that held them all, and for a fresh model. Saved with the model (in <see cref="TrainingHistory"/>).
    /// </summary>
    public IReadOnlyList<string> NewlyInitializedWeights => TrainingHistory?.NewlyInitializedWeights ?? [];

    /// <summary>The fine-tuned transformer (its weights must not be changed while the transformer is in use).</summary>
    /// <exception cref="InvalidOperationException">The classifier is a recurrent network (see <see cref="RecurrentModel"/>).</exception>
    public BertForSequenceClassification Model => TransformerModel;

    /// <summary>The trained recurrent network (LSTM, GRU, attention-RNN), or null for a transformer (see <see cref="Model"/>).</summary>
    public RecurrentClassifier? RecurrentModel => (_classifier.Network as RecurrentNetwork)?.Model;

    /// <summary>The fine-tuned GPT-2 when the checkpoint was one (<c>model_type</c> <c>gpt2</c>), else null (see <see cref="Model"/>).</summary>
    public Gpt2ForSequenceClassification? DecoderModel => (_classifier.Network as DecoderNetwork)?.Model;

    private BertForSequenceClassification TransformerModel => (_classifier.Network as TransformerNetwork)?.Model
        ?? throw new InvalidOperationException(_classifier.Network is DecoderNetwork
            ? $"This classifier fine-tunes a GPT-2 decoder, not a BERT-family encoder: see {nameof(DecoderModel)}."
            : $"This classifier is a {Architecture} network, not a transformer: see {nameof(RecurrentModel)}.");

    /// <summary>The arithmetic of the encoder's products when scoring.</summary>
    public Precision Precision => _settings.Precision;

    internal ClassifierSettings Settings => _settings;

    /// <summary>
    /// The same classifier scoring in <paramref name="precision"/> (a new transformer over the same model: for
    /// <see cref="Precision.Int8"/> its weights quantised now), saved with that setting.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="precision"/> is not a defined value.</exception>
    public TextClassificationTransformer WithPrecision(Precision precision)
    {
        if (!Enum.IsDefined(precision)) throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision.");
        return new(_classifier.WithFixedWeights(precision), _settings with { Precision = precision }, TrainingHistory);
    }

    /// <summary>The tokenization the classifier scores with (truncated to <see cref="MaxTokens"/>, padded per batch).</summary>
    internal TextEncoder Encoder => _classifier.Encoder;

    /// <inheritdoc />
    protected override ModelFormat Format => StoredFormat;

    /// <summary>Writes the model as a Hugging Face checkpoint directory: <c>config.json</c>, <c>model.safetensors</c> and the tokenizer files.</summary>
    public void SaveCheckpoint(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, BertConfig.FileName), _classifier.Network.ConfigJson());
        using (var weights = File.Create(Path.Combine(directory, CheckpointFiles.Safetensors))) _classifier.Network.SaveWeights(weights);
        _classifier.TokenizerFiles.WriteTo(directory);
    }

    /// <summary>
    /// Where the classifier looks on <paramref name="text"/>, over its tokens (special tokens included, truncated to
    /// <see cref="MaxTokens"/>): a transformer's self-attention per layer and head, or an attention-RNN's context weights
    /// over time (one row, see <see cref="ComputeRecurrentAttention"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The classifier is an LSTM or GRU, which reads its final states through no attention.</exception>
    public AttentionMaps GetAttention(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Architecture == TextClassifierArchitecture.AttentionRnn)
        {
            var (tokens, weights) = ComputeRecurrentAttention(text);
            return AttentionMaps.OverTokens(tokens, weights);
        }
        if (Architecture != TextClassifierArchitecture.Transformer)
            throw new InvalidOperationException($"This classifier is a {Architecture} network: it reads its final states, through no attention.");
        var model = TransformerModel;
        var encoded = _classifier.Encoder.Encode([(text, null)]);
        var layers = EncoderAttention.Compute(model.Encoder, _classifier.Encoder.Batch(encoded)); // each (1, H, T, T)
        return AttentionMaps.SelfAttention(_classifier.Encoder.Tokens(encoded[0].Ids), model.Config.NumAttentionHeads, [.. layers.Select(l => l.Span.ToArray())]);
    }

    /// <summary>
    /// The attention-RNN's weights over time for one text (or text pair): the tokens it read (special tokens included,
    /// truncated to <see cref="MaxTokens"/>) and α, how much of the context vector the head reads comes from each
    /// token's states (summing to 1). Thread-safe.
    /// </summary>
    /// <exception cref="InvalidOperationException">The classifier is not an <see cref="TextClassifierArchitecture.AttentionRnn"/>.</exception>
    public (string[] Tokens, float[] Weights) ComputeRecurrentAttention(string text, string? pair = null)
    {
        if (Architecture != TextClassifierArchitecture.AttentionRnn || RecurrentModel is not { } model)
            throw new InvalidOperationException($"This classifier is a {Architecture} network; attention weights over time need an {TextClassifierArchitecture.AttentionRnn}.");
        var encoded = _classifier.Encoder.Encode([(text, pair)]);
        return (_classifier.Encoder.Tokens(encoded[0].Ids), model.ComputeAttentionWeights(_classifier.Encoder.Batch(encoded)));
    }

    /// <summary>
    /// Exports the fine-tuned network to ONNX, so that it runs wherever ONNX Runtime runs (ML.NET's own
    /// <c>ApplyOnnxModel</c> included): the model at <paramref name="path"/> with inputs <c>input_ids</c>,
    /// <c>attention_mask</c> and <c>token_type_ids</c> (int64, (<c>batch_size</c>, <c>sequence_length</c>), both
    /// dynamic) and outputs <c>logits</c> and <c>probabilities</c> (float, (<c>batch_size</c>, classes), classes in
    /// <see cref="LabelNames"/> order, binary classifiers included); beside it <c>config.json</c> (the class names as
    /// <c>id2label</c>, also carried in the file's metadata) and the tokenizer files, so the folder is a checkpoint that
    /// loads back anywhere a model path is accepted. The graph starts from token ids: tokenize as this transformer does
    /// (the tokenizer files beside it, truncated to <see cref="MaxTokens"/>). Files of the same names beside
    /// <paramref name="path"/> are replaced; each appears complete or not at all, the <c>.onnx</c> last.
    /// </summary>
    /// <param name="path">The model file to write; its name ends in <c>.onnx</c>. A missing folder is created.</param>
    /// <returns>The full paths of the files written, the model last.</returns>
    /// <exception cref="ArgumentException">The path does not end in <c>.onnx</c> or is a folder.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="InvalidOperationException">The classifier is a recurrent network (only transformers are exported).</exception>
    public IReadOnlyList<string> ExportOnnx(string path) =>
        OnnxExporter.ExportCheckpoint(TransformerModel, path, _classifier.TokenizerFiles.Files);

    /// <summary>Class probabilities of one text (or text pair), in <see cref="LabelNames"/> order.</summary>
    public float[] PredictProbabilities(string text, string? pair = null) => Score([(text, pair)]).Probabilities;

    /// <summary>
    /// Rows a pipeline cursor scores at once: enough for every thread to score batches of its own
    /// (<see cref="InferenceBatching.DataParallelInputs"/>).
    /// </summary>
    internal int RowsPerRead => _batching.DataParallelInputs(_classifier.Network.ConcurrentBatches);

    /// <summary>Probabilities (n, K) and logits (n, K) of <paramref name="inputs"/>, in input order, scored in length-sorted batches; truncated rows are counted.</summary>
    internal (float[] Probabilities, float[] Logits) Score(IReadOnlyList<(string Text, string? Pair)> inputs)
    {
        var texts = _classifier.Encoder.Encode(inputs);
        var truncated = texts.Count(t => t.Truncated);
        if (truncated > 0) Interlocked.Add(ref _truncatedRows, truncated);
        return _classifier.Score(texts, _batching);
    }

    /// <inheritdoc />
    protected override BatchMapper CreateMapper(DataViewSchema inputSchema) => new TextClassificationMapper(this, inputSchema);

    /// <inheritdoc />
    protected override void SaveModel(ModelWriter writer) => ClassifierStorage.Save(writer, _classifier, _settings, TrainingHistory);

    /// <summary>ML.NET's loader (<c>SignatureLoadModel</c>): reads what <see cref="SaveModel"/> wrote.</summary>
    private static TextClassificationTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var (classifier, settings, history) = ClassifierStorage.Load(ModelReader.Open(ctx, StoredFormat));
        return new TextClassificationTransformer(classifier, settings, history);
    }
}
