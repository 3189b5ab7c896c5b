using Microsoft.ML;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers;

/// <summary>
/// Options of <see cref="TextClassificationTrainer"/>: the columns (named as in Microsoft.ML.TorchSharp's text
/// classifier), where the model comes from, the validation set, and the training options of
/// <see cref="TrainingOptions"/>. Start from a checkpoint (<see cref="ModelPath"/>) or from a fresh model of a preset
/// size (<see cref="Preset"/> with <see cref="TokenizerPath"/>).
/// </summary>
public sealed record TextClassificationOptions : TrainingOptions
{
    /// <summary>Default of <see cref="Sentence1ColumnName"/> (as Microsoft.ML.TorchSharp's options).</summary>
    public const string DefaultSentence1ColumnName = "Sentence";

    /// <summary>Default of <see cref="LabelColumnName"/>.</summary>
    public const string DefaultLabelColumnName = "Label";

    /// <summary>Default of <see cref="ScoreColumnName"/>.</summary>
    public const string DefaultScoreColumnName = "Score";

    /// <summary>Default of <see cref="ProbabilityColumnName"/>.</summary>
    public const string DefaultProbabilityColumnName = "Probability";

    /// <summary>Default of <see cref="PredictedLabelColumnName"/>.</summary>
    public const string DefaultPredictedLabelColumnName = "PredictedLabel";

    /// <summary>The token limit when <see cref="MaxTokens"/> is null and the model has at least as many positions.</summary>
    public const int DefaultMaxTokens = 128;

    /// <summary>Default of <see cref="Preset"/>.</summary>
    public const string DefaultPreset = "mini";

    /// <summary>The learning rate when <see cref="TrainingOptions.LearningRate"/> is null and a checkpoint is fine-tuned.</summary>
    public const float DefaultCheckpointLearningRate = 5e-5f;

    /// <summary>The learning rate when <see cref="TrainingOptions.LearningRate"/> is null and a fresh preset model is trained.</summary>
    public const float DefaultFreshModelLearningRate = 5e-4f;

    /// <summary>The learning rate when <see cref="TrainingOptions.LearningRate"/> is null and a recurrent network is trained.</summary>
    public const float DefaultRecurrentLearningRate = 1e-3f;

    /// <summary>Default of <see cref="InferenceBatchSize"/>.</summary>
    public const int DefaultInferenceBatchSize = InferenceBatching.DefaultBatchSize;

    /// <summary>The text column (Text type). Default <c>Sentence</c>.</summary>
    public string Sentence1ColumnName { get; set; } = DefaultSentence1ColumnName;

    /// <summary>The second text of a sentence pair (Text type), or null for single texts. Default null.</summary>
    public string? Sentence2ColumnName { get; set; }

    /// <summary>The label column: Boolean for binary, a key (from <c>MapValueToKey</c>) for multiclass. Default <c>Label</c>.</summary>
    public string LabelColumnName { get; set; } = DefaultLabelColumnName;

    /// <summary>
    /// The score column added: one probability per class in key order (multiclass), or the logit margin of true
    /// over false (binary). Default <c>Score</c>.
    /// </summary>
    public string ScoreColumnName { get; set; } = DefaultScoreColumnName;

    /// <summary>The probability column a binary classifier adds (the probability of true). Default <c>Probability</c>.</summary>
    public string ProbabilityColumnName { get; set; } = DefaultProbabilityColumnName;

    /// <summary>
    /// The predicted label column added: the label's key type (multiclass) or Boolean (binary). Default
    /// <c>PredictedLabel</c>.
    /// </summary>
    public string PredictedLabelColumnName { get; set; } = DefaultPredictedLabelColumnName;

    /// <summary>
    /// Held-out rows with the same columns, scored after every epoch (and every <see cref="TrainingOptions.ValidateEverySteps"/>)
    /// for early stopping and keeping the best weights; null for none. Default null.
    /// </summary>
    public IDataView? ValidationSet { get; set; }

    /// <summary>
    /// The network: a BERT-family <see cref="TextClassifierArchitecture.Transformer"/> (a checkpoint's, or a fresh
    /// <see cref="Preset"/>'s), or a recurrent baseline trained from scratch with the tokenizer of
    /// <see cref="TokenizerPath"/> (<see cref="TextClassifierArchitecture.Lstm"/>, <see cref="TextClassifierArchitecture.Gru"/>,
    /// <see cref="TextClassifierArchitecture.AttentionRnn"/>; sizes in <see cref="Recurrent"/>, no dropout, no
    /// <see cref="ModelPath"/>, <see cref="FrozenLayers"/> or int8 <see cref="Precision"/>, no position limit on
    /// <see cref="MaxTokens"/>). Default <see cref="TextClassifierArchitecture.Transformer"/>.
    /// </summary>
    public TextClassifierArchitecture Architecture { get; set; } = TextClassifierArchitecture.Transformer;

    /// <summary>The sizes of a recurrent network (see <see cref="Architecture"/>). Default: <see cref="RecurrentNetworkOptions"/>' defaults.</summary>
    public RecurrentNetworkOptions Recurrent { get; set; } = new();

    /// <summary>Whether <see cref="Architecture"/> is a recurrent network.</summary>
    public bool IsRecurrent => Architecture != TextClassifierArchitecture.Transformer;

    /// <summary>
    /// The checkpoint to fine-tune: a directory in Hugging Face layout (<c>config.json</c>, weights, tokenizer), or a
    /// BERT-family ONNX export (an <c>.onnx</c> file; its tokenizer is the <c>tokenizer.json</c> or <c>vocab.txt</c>
    /// beside it unless <see cref="TokenizerPath"/> names one). Weights the checkpoint lacks (the classification head,
    /// a pooler) are initialised fresh from the seed and named in one warning on ML.NET's log
    /// (<see cref="TextClassificationTransformer.NewlyInitializedWeights"/>). Null trains a fresh <see cref="Preset"/>
    /// model. Default null.
    /// </summary>
    public string? ModelPath { get; set; }

    /// <summary>The size of a fresh model (<c>tiny</c>, <c>mini</c>, <c>small</c>) when <see cref="ModelPath"/> is null. Default <c>mini</c>.</summary>
    public string Preset { get; set; } = DefaultPreset;

    /// <summary>
    /// The tokenizer: a <c>tokenizer.json</c>, a <c>vocab.txt</c> or a directory holding one. Required for a fresh
    /// model; for a checkpoint, null uses the checkpoint's own (an ONNX export's: the one beside it). Default null.
    /// </summary>
    public string? TokenizerPath { get; set; }

    /// <summary>
    /// A <c>Microsoft.ML.Tokenizers</c> tokenizer to cut text into ids instead of the checkpoint's (one that only that
    /// library reads: SentencePiece, Tiktoken ...); null uses the files. The special tokens, type ids and truncation
    /// still come from the checkpoint's tokenizer files (or <see cref="TokenizerPath"/>'s: of a <c>tokenizer.json</c>
    /// only its added tokens, post-processor and truncation are read). Its vocabulary size must equal a checkpoint's
    /// <c>vocab_size</c> (a fresh model takes its size). A model trained with one cannot be saved, checkpointed or
    /// exported, unless it is an <see cref="Tokenizers.Interop.HuggingFaceTokenizer"/> loaded from files (those
    /// files are saved, and it runs whole: its own special tokens). Default null.
    /// </summary>
    public Microsoft.ML.Tokenizers.Tokenizer? Tokenizer { get; set; }

    /// <summary>
    /// Longest token sequence (special tokens included); longer texts are truncated, and counted (see
    /// <see cref="TrainingHistory.TruncatedRowCount"/> and <see cref="TextClassificationTransformer.TruncatedRowCount"/>).
    /// At most the model's positions: the checkpoint's <c>max_position_embeddings</c>, or 512 for a fresh preset; a
    /// larger value is refused. Null: 128, or the model's positions when fewer. Default null.
    /// </summary>
    public int? MaxTokens { get; set; }

    /// <summary>Dropout of the hidden states, attention and classifier; null keeps the model's (0.1 for presets). Default null.</summary>
    public float? Dropout { get; set; }

    /// <summary>Freezes the embeddings and the first this many encoder layers (their weights never change). Default 0.</summary>
    public int FrozenLayers { get; set; }

    /// <summary>
    /// Loss weight per class name (the label's key values; <c>True</c>/<c>False</c> for binary); unnamed classes
    /// weigh 1. Null weighs all classes equally. Default null.
    /// </summary>
    public IReadOnlyDictionary<string, float>? ClassWeights { get; set; }

    /// <summary>
    /// Most rows scored in one model batch at prediction and validation time, sorted by length; a batch also holds at
    /// most <see cref="InferenceBatching.DefaultMaxBatchTokens"/> padded tokens (<see cref="InferenceBatching"/>). Default <see cref="DefaultInferenceBatchSize"/>.
    /// </summary>
    public int InferenceBatchSize { get; set; } = DefaultInferenceBatchSize;

    /// <summary>
    /// The arithmetic the fitted classifier scores with (training and validation during training run in
    /// <see cref="TrainingPrecision"/>). Default <see cref="Precision.Float32"/>; <see cref="Precision.Int8"/>
    /// quantises the fine-tuned encoder's weights once training is over (and again when a saved model is loaded: the
    /// weights are saved in single precision with this setting) and scores about twice as fast on CPUs with AVX-VNNI.
    /// </summary>
    public Precision Precision { get; set; } = Precision.Float32;

    /// <summary>
    /// Where fine-tuning and the trained transformer's scoring run: <c>cpu</c> (the default) is the managed engine;
    /// <c>torch:cpu</c>, <c>cuda</c> or <c>cuda:N</c> run on libtorch through the package
    /// <c>MLNet.Transformers.TorchSharp</c> (with <c>TorchSharp-cpu</c> or a CUDA libtorch package; see docs/gpu.md).
    /// Not saved with the model: a loaded model scores on the managed engine.
    /// </summary>
    public string Device { get; set; } = ComputeBackends.DefaultDevice;

    /// <summary>
    /// The arithmetic of training's products: <see cref="TrainingPrecision.Float32"/> (the default), or bfloat16 mixed
    /// precision (<see cref="TrainingPrecision.BFloat16"/>: dense and attention products in bfloat16 with single-precision
    /// sums; weights, gradients, LayerNorm, softmax, the loss and AdamW in single precision), which needs a TorchSharp
    /// <see cref="Device"/> (the trained transformer then scores on that device in bfloat16 too; a saved model keeps
    /// single-precision weights). Recorded in checkpoints: a run does not resume from one of another precision.
    /// </summary>
    public TrainingPrecision TrainingPrecision { get; set; } = TrainingPrecision.Float32;

    /// <summary>Stops training when cancelled (a checkpoint is written first when checkpointing). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// The learning rate a run uses: <see cref="TrainingOptions.LearningRate"/> when set, else 5e-5 for a checkpoint
    /// (the BERT paper's fine-tuning range), 5e-4 for a fresh preset model (small random models need larger steps) and
    /// 1e-3 for a recurrent network (Adam's customary step).
    /// </summary>
    public float EffectiveLearningRate => LearningRate
        ?? (IsRecurrent ? DefaultRecurrentLearningRate : ModelPath is null ? DefaultFreshModelLearningRate : DefaultCheckpointLearningRate);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireName(Sentence1ColumnName, nameof(Sentence1ColumnName));
        Require(Sentence2ColumnName is null || Sentence2ColumnName.Length > 0, nameof(Sentence2ColumnName), Sentence2ColumnName, "a column name or null");
        RequireName(LabelColumnName, nameof(LabelColumnName));
        RequireName(ScoreColumnName, nameof(ScoreColumnName));
        RequireName(ProbabilityColumnName, nameof(ProbabilityColumnName));
        RequireName(PredictedLabelColumnName, nameof(PredictedLabelColumnName));
        string[] outputs = [ScoreColumnName, ProbabilityColumnName, PredictedLabelColumnName];
        Require(outputs.Distinct(StringComparer.Ordinal).Count() == outputs.Length, nameof(PredictedLabelColumnName), PredictedLabelColumnName,
            $"different from the score and probability columns ('{ScoreColumnName}', '{ProbabilityColumnName}')");
        Require(MaxTokens is null or >= 2, nameof(MaxTokens), MaxTokens, "at least 2");
        Require(Dropout is null or (>= 0f and < 1f), nameof(Dropout), Dropout, "in [0, 1)");
        Require(FrozenLayers >= 0, nameof(FrozenLayers), FrozenLayers, "non-negative");
        Require(InferenceBatchSize >= 1, nameof(InferenceBatchSize), InferenceBatchSize, "at least 1");
        Require(ModelPath is not null || TokenizerPath is not null, nameof(TokenizerPath), TokenizerPath,
            "set when training a fresh model (no ModelPath)");
        Require(ClassWeights is null || ClassWeights.Values.All(w => w >= 0f && float.IsFinite(w)), nameof(ClassWeights),
            "(weights)", "non-negative finite numbers");
        Require(Enum.IsDefined(Architecture), nameof(Architecture), Architecture, "a defined architecture");
        TrainingPrecisionOption.Validate(TrainingPrecision, Device);
        if (IsRecurrent) ValidateRecurrent();
    }

    /// <inheritdoc />
    internal override string RunSettings => TrainingPrecisionOption.Fingerprint(TrainingPrecision);

    private void ValidateRecurrent()
    {
        const string Why = "for a recurrent network, trained from scratch";
        Require(ModelPath is null, nameof(ModelPath), ModelPath, $"null {Why}");
        Require(FrozenLayers == 0, nameof(FrozenLayers), FrozenLayers, $"0 {Why}");
        Require(Precision == Precision.Float32, nameof(Precision), Precision, "Float32 for a recurrent network");
        Require(Device == ComputeBackends.DefaultDevice, nameof(Device), Device,
            $"'{ComputeBackends.DefaultDevice}' for a recurrent network (it runs on the managed engine only)");
        var sizes = Recurrent ?? throw new InvalidOptionException(nameof(Recurrent), "null", "sizes for a recurrent network");
        Require(sizes.EmbeddingSize > 0, $"{nameof(Recurrent)}.{nameof(sizes.EmbeddingSize)}", sizes.EmbeddingSize, "positive");
        Require(sizes.HiddenSize > 0, $"{nameof(Recurrent)}.{nameof(sizes.HiddenSize)}", sizes.HiddenSize, "positive");
        Require(sizes.Layers > 0, $"{nameof(Recurrent)}.{nameof(sizes.Layers)}", sizes.Layers, "positive");
        Require(sizes.AttentionSize > 0, $"{nameof(Recurrent)}.{nameof(sizes.AttentionSize)}", sizes.AttentionSize, "positive");
    }

    private static void RequireName(string? name, string option) => Require(!string.IsNullOrEmpty(name), option, name, "a column name");
}
