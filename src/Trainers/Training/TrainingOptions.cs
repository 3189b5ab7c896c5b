using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Training;

/// <summary>
/// Options of a training run that every trainer shares (fine-tuning, pretraining). Every default is documented; a
/// trainer may resolve a null <see cref="LearningRate"/> to its own default.
/// </summary>
public record TrainingOptions
{
    /// <summary>Default of <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>Default of <see cref="Epochs"/>.</summary>
    public const int DefaultEpochs = 3;

    /// <summary>The learning rate used when <see cref="LearningRate"/> is null and the trainer has no rule of its own.</summary>
    public const float DefaultLearningRate = 5e-5f;

    /// <summary>Default of <see cref="WarmupRatio"/>.</summary>
    public const float DefaultWarmupRatio = 0.1f;

    /// <summary>Default of <see cref="WeightDecay"/>.</summary>
    public const float DefaultWeightDecay = 0.01f;

    /// <summary>Default of <see cref="MaxGradientNorm"/>.</summary>
    public const float DefaultMaxGradientNorm = 1f;

    /// <summary>The seed of pretraining and of a bare <see cref="TrainingLoop"/> when <see cref="Seed"/> is null.</summary>
    public const int DefaultSeed = 42;

    /// <summary>Default of <see cref="BucketPoolBatches"/>.</summary>
    public const int DefaultBucketPoolBatches = 50;

    /// <summary>Examples per optimizer step (the effective batch, whatever <see cref="GradientAccumulationSteps"/> is). Default 32.</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>Passes over the training data. Default 3.</summary>
    public int Epochs { get; set; } = DefaultEpochs;

    /// <summary>Stops after this many optimizer steps even if epochs remain, and the warmup and decay span these steps (as Hugging Face's <c>max_steps</c>); null for none. Default null.</summary>
    public int? MaxSteps { get; set; }

    /// <summary>Peak learning rate of AdamW; null lets the trainer choose (<see cref="DefaultLearningRate"/> here). Default null.</summary>
    public float? LearningRate { get; set; }

    /// <summary>Fraction of all steps spent warming the learning rate up linearly from 0. Default 0.1.</summary>
    public float WarmupRatio { get; set; } = DefaultWarmupRatio;

    /// <summary>AdamW's decoupled weight decay for weight matrices (biases and LayerNorm never decay). Default 0.01.</summary>
    public float WeightDecay { get; set; } = DefaultWeightDecay;

    /// <summary>How the learning rate falls after warmup. Default linear to zero.</summary>
    public LearningRateDecay Schedule { get; set; } = LearningRateDecay.Linear;

    /// <summary>Clips the global L2 norm of the gradients to this value; 0 disables clipping. Default 1.</summary>
    public float MaxGradientNorm { get; set; } = DefaultMaxGradientNorm;

    /// <summary>
    /// Splits each step's <see cref="BatchSize"/> examples into this many micro-batches whose gradients add up (less
    /// memory, same update up to float rounding). Default 1.
    /// </summary>
    public int GradientAccumulationSteps { get; set; } = 1;

    /// <summary>
    /// Fixes initialisation, data order and dropout: the same seed and thread count give the same model. Null lets the
    /// trainer choose: the text classifier draws it from its <c>MLContext</c> (so <c>new MLContext(seed: 7)</c> fixes
    /// it), pretraining and a bare <see cref="TrainingLoop"/> use <see cref="DefaultSeed"/> (42). Default null.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>The seed a run uses: <see cref="Seed"/>, or <see cref="DefaultSeed"/> when null.</summary>
    internal int SeedOrDefault => Seed ?? DefaultSeed;

    /// <summary>
    /// Threads the engine uses for this training: the model's managed backend owns them, and the training's own host
    /// work (optimizer steps, gradient clipping) runs on as many. Null (the default) is every core. Nothing
    /// process-wide changes: other trainings and embedders keep their own.
    /// </summary>
    public int? DegreeOfParallelism { get; set; }

    /// <summary>How examples are grouped into batches. Default <see cref="LengthBucketing.Pooled"/> (similar lengths together).</summary>
    public LengthBucketing LengthBucketing { get; set; } = LengthBucketing.Pooled;

    /// <summary>Batches per length-sorting pool when <see cref="LengthBucketing"/> is pooled. Default 50.</summary>
    public int BucketPoolBatches { get; set; } = DefaultBucketPoolBatches;

    /// <summary>Runs validation every this many steps as well as at the end of every epoch; 0 for epoch ends only. Default 0.</summary>
    public int ValidateEverySteps { get; set; }

    /// <summary>Stops after this many validations in a row without improvement; null never stops early. Default null.</summary>
    public int? EarlyStoppingPatience { get; set; }

    /// <summary>At the end, puts back the weights of the best validation (when a validation set is given). Default true.</summary>
    public bool RestoreBestWeights { get; set; } = true;

    /// <summary>Directory for training checkpoints (model, optimizer state, history); null writes none. Default null.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Writes a checkpoint every this many optimizer steps (and when cancelled); 0 only when cancelled. Default 0.</summary>
    public int CheckpointEverySteps { get; set; }

    /// <summary>
    /// When <see cref="CheckpointDirectory"/> holds a checkpoint of the same run, continue from it (the result is
    /// bit-identical to an uninterrupted run). Default true.
    /// </summary>
    public bool ResumeFromCheckpoint { get; set; } = true;

    /// <summary>Receives progress reports (after every step, validation and checkpoint); null for none. Default null.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Checks the values; throws naming the first invalid option.</summary>
    /// <exception cref="InvalidOptionException">An option is out of range.</exception>
    public virtual void Validate()
    {
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Require(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Require(MaxSteps is null or >= 1, nameof(MaxSteps), MaxSteps, "at least 1");
        Require(LearningRate is null or (> 0f and <= float.MaxValue), nameof(LearningRate), LearningRate, "positive");
        Require(WarmupRatio is >= 0f and <= 1f, nameof(WarmupRatio), WarmupRatio, "in [0, 1]");
        Require(WeightDecay >= 0f, nameof(WeightDecay), WeightDecay, "non-negative");
        Require(MaxGradientNorm >= 0f, nameof(MaxGradientNorm), MaxGradientNorm, "non-negative");
        Require(GradientAccumulationSteps >= 1 && GradientAccumulationSteps <= BatchSize, nameof(GradientAccumulationSteps),
            GradientAccumulationSteps, $"between 1 and the batch size {BatchSize}");
        Require(DegreeOfParallelism is null or >= 1, nameof(DegreeOfParallelism), DegreeOfParallelism, "at least 1");
        Require(BucketPoolBatches >= 1, nameof(BucketPoolBatches), BucketPoolBatches, "at least 1");
        Require(ValidateEverySteps >= 0, nameof(ValidateEverySteps), ValidateEverySteps, "non-negative");
        Require(EarlyStoppingPatience is null or >= 1, nameof(EarlyStoppingPatience), EarlyStoppingPatience, "at least 1");
        Require(CheckpointEverySteps >= 0, nameof(CheckpointEverySteps), CheckpointEverySteps, "non-negative");
    }

    /// <summary>What besides these options a checkpoint's run must share with this one (part of its fingerprint); empty here.</summary>
    internal virtual string RunSettings => "";

    /// <summary>Throws <see cref="InvalidOptionException"/> naming <paramref name="name"/> unless <paramref name="ok"/>.</summary>
    protected static void Require(bool ok, string name, object? value, string expected)
    {
        if (!ok) throw new InvalidOptionException(name, value, expected);
    }
}
