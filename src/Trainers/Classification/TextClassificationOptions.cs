using MLNet.Transformers.Data;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// Options of <see cref="TextClassificationTrainer"/>: the columns, where the model comes from, and the training
/// options of <see cref="TrainingOptions"/>. Start from a checkpoint (<see cref="ModelPath"/>) or from a fresh model
/// of a preset size (<see cref="Preset"/> with <see cref="TokenizerPath"/>).
/// </summary>
public sealed record TextClassificationOptions : TrainingOptions
{
    /// <summary>Default of <see cref="MaxTokens"/>.</summary>
    public const int DefaultMaxTokens = 128;

    /// <summary>Default of <see cref="Preset"/>.</summary>
    public const string DefaultPreset = "mini";

    /// <summary>The learning rate when <see cref="TrainingOptions.LearningRate"/> is null and a checkpoint is fine-tuned.</summary>
    public const float DefaultCheckpointLearningRate = 5e-5f;

    /// <summary>The learning rate when <see cref="TrainingOptions.LearningRate"/> is null and a fresh preset model is trained.</summary>
    public const float DefaultFreshModelLearningRate = 5e-4f;

    /// <summary>Default of <see cref="InferenceBatchSize"/>.</summary>
    public const int DefaultInferenceBatchSize = 32;

    /// <summary>The text column (Text type). Default <c>Text</c>.</summary>
    public string TextColumnName { get; set; } = "Text";

    /// <summary>The second text of a sentence pair (Text type), or null for single texts. Default null.</summary>
    public string? TextPairColumnName { get; set; }

    /// <summary>The label column: Boolean for binary, a key (from <c>MapValueToKey</c>) for multiclass. Default <c>Label</c>.</summary>
    public string LabelColumnName { get; set; } = DefaultColumnNames.Label;

    /// <summary>
    /// A checkpoint directory in Hugging Face layout (<c>config.json</c>, weights, tokenizer) to fine-tune; a
    /// checkpoint without a classification head gets a fresh one. Null trains a fresh <see cref="Preset"/> model. Default null.
    /// </summary>
    public string? ModelPath { get; set; }

    /// <summary>The size of a fresh model (<c>tiny</c>, <c>mini</c>, <c>small</c>) when <see cref="ModelPath"/> is null. Default <c>mini</c>.</summary>
    public string Preset { get; set; } = DefaultPreset;

    /// <summary>
    /// The tokenizer: a <c>tokenizer.json</c>, a <c>vocab.txt</c> or a directory holding one. Required for a fresh
    /// model; for a checkpoint, null uses the checkpoint's own. Default null.
    /// </summary>
    public string? TokenizerPath { get; set; }

    /// <summary>Longest token sequence (special tokens included); longer texts are truncated. Default 128.</summary>
    public int MaxTokens { get; set; } = DefaultMaxTokens;

    /// <summary>Dropout of the hidden states, attention and classifier; null keeps the model's (0.1 for presets). Default null.</summary>
    public float? Dropout { get; set; }

    /// <summary>Freezes the embeddings and the first this many encoder layers (their weights never change). Default 0.</summary>
    public int FrozenLayers { get; set; }

    /// <summary>
    /// Loss weight per class name (the label's key values; <c>True</c>/<c>False</c> for binary); unnamed classes
    /// weigh 1. Null weighs all classes equally. Default null.
    /// </summary>
    public IReadOnlyDictionary<string, float>? ClassWeights { get; set; }

    /// <summary>Rows scored together at prediction and validation time. Default 32.</summary>
    public int InferenceBatchSize { get; set; } = DefaultInferenceBatchSize;

    /// <summary>Stops training when cancelled (a checkpoint is written first when checkpointing). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// The learning rate a run uses: <see cref="TrainingOptions.LearningRate"/> when set, else 5e-5 for a checkpoint
    /// (the BERT paper's fine-tuning range) and 5e-4 for a fresh preset model (small random models need larger steps).
    /// </summary>
    public float EffectiveLearningRate => LearningRate ?? (ModelPath is null ? DefaultFreshModelLearningRate : DefaultCheckpointLearningRate);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(!string.IsNullOrEmpty(TextColumnName), nameof(TextColumnName), TextColumnName, "a column name");
        Require(!string.IsNullOrEmpty(LabelColumnName), nameof(LabelColumnName), LabelColumnName, "a column name");
        Require(MaxTokens >= 2, nameof(MaxTokens), MaxTokens, "at least 2");
        Require(Dropout is null or (>= 0f and < 1f), nameof(Dropout), Dropout, "in [0, 1)");
        Require(FrozenLayers >= 0, nameof(FrozenLayers), FrozenLayers, "non-negative");
        Require(InferenceBatchSize >= 1, nameof(InferenceBatchSize), InferenceBatchSize, "at least 1");
        Require(ModelPath is not null || TokenizerPath is not null, nameof(TokenizerPath), TokenizerPath,
            "set when training a fresh model (no ModelPath)");
        Require(ClassWeights is null || ClassWeights.Values.All(w => w >= 0f && float.IsFinite(w)), nameof(ClassWeights),
            "(weights)", "non-negative finite numbers");
    }
}
