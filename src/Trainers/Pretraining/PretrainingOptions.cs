using MLNet.Transformers.Models;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>
/// Masked-LM pretraining options: the corpus, the tokenizer (an existing one or a WordPiece learned on the corpus),
/// the model (a preset or a <c>config.json</c>), masking and the held-out split, on top of the shared
/// <see cref="TrainingOptions"/> (whose learning rate, validation interval and epochs default here for pretraining).
/// </summary>
public sealed record PretrainingOptions : TrainingOptions
{
    /// <summary>Default sequence length of the packed sequences.</summary>
    public const int DefaultMaxLength = 128;

    /// <summary>Default size of a vocabulary learned on the corpus.</summary>
    public const int DefaultVocabularySize = 8000;

    /// <summary>Default model preset.</summary>
    public const string DefaultPreset = "mini";

    /// <summary>Default fraction of texts held out for perplexity.</summary>
    public const double DefaultHeldOutFraction = 0.02;

    /// <summary>Default cap on the held-out sequences evaluated (bounds the cost of a perplexity measurement).</summary>
    public const int DefaultMaxHeldOutSequences = 256;

    /// <summary>Default peak learning rate: higher than fine-tuning's, as for a model trained from scratch.</summary>
    public const float DefaultPretrainingLearningRate = 5e-4f;

    /// <summary>Default interval, in optimizer steps, between held-out perplexity measurements.</summary>
    public const int DefaultValidateEverySteps = 200;

    /// <summary>Creates options with pretraining's defaults.</summary>
    public PretrainingOptions()
    {
        LearningRate = DefaultPretrainingLearningRate;
        ValidateEverySteps = DefaultValidateEverySteps;
        LengthBucketing = LengthBucketing.None;
    }

    /// <summary>What the model learns: masked tokens (BERT) or the next token (GPT-2). Default <see cref="PretrainingObjective.Masked"/>.</summary>
    public PretrainingObjective Objective { get; set; } = PretrainingObjective.Masked;

    /// <summary>Corpus files (<c>.txt</c>, <c>.jsonl</c>) and directories of them. Required.</summary>
    public IReadOnlyList<string> Corpus { get; set; } = [];

    /// <summary>
    /// An existing tokenizer (<c>tokenizer.json</c>, <c>vocab.txt</c>, <c>vocab.json</c> + <c>merges.txt</c> or a
    /// checkpoint directory), or null to learn a vocabulary on the corpus: WordPiece for the masked objective,
    /// byte-level BPE for the causal one. Default null.
    /// </summary>
    public string? TokenizerPath { get; set; }

    /// <summary>The size of a vocabulary learned on the corpus (when <see cref="TokenizerPath"/> is null). Default <see cref="DefaultVocabularySize"/>.</summary>
    public int VocabularySize { get; set; } = DefaultVocabularySize;

    /// <summary>The model preset (<see cref="BertPresets.Names"/>) used when <see cref="ConfigPath"/> is null. Default <see cref="DefaultPreset"/>.</summary>
    public string Preset { get; set; } = DefaultPreset;

    /// <summary>A <c>config.json</c> (or a directory holding one) for the model; its vocabulary size and padding id are set from the tokenizer. Default null.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>The length of the packed sequences (masked: <c>[CLS]</c> and <c>[SEP]</c> included). Default <see cref="DefaultMaxLength"/>.</summary>
    public int MaxLength { get; set; } = DefaultMaxLength;

    /// <summary>How tokens are masked. Default BERT's 15 % / 80-10-10, token-level.</summary>
    public MaskingOptions Masking { get; set; } = new();

    /// <summary>The fraction of texts held out for perplexity (0 for none). Default <see cref="DefaultHeldOutFraction"/>.</summary>
    public double HeldOutFraction { get; set; } = DefaultHeldOutFraction;

    /// <summary>At most this many held-out sequences are evaluated. Default <see cref="DefaultMaxHeldOutSequences"/>.</summary>
    public int MaxHeldOutSequences { get; set; } = DefaultMaxHeldOutSequences;

    /// <summary>
    /// Where the model trains: <c>cpu</c> (the default) is the managed engine; <c>torch:cpu</c>, <c>cuda</c> or
    /// <c>cuda:N</c> run on libtorch through the package <c>MLNet.Transformers.TorchSharp</c> (with <c>TorchSharp-cpu</c>
    /// or a CUDA libtorch package; see docs/gpu.md). Both objectives. Not saved with the model.
    /// </summary>
    public string Device { get; set; } = ComputeBackends.DefaultDevice;

    /// <summary>
    /// The arithmetic of training's products: <see cref="TrainingPrecision.Float32"/> (the default), or bfloat16 mixed
    /// precision (<see cref="TrainingPrecision.BFloat16"/>: dense and attention products in bfloat16 with single-precision
    /// sums; weights, gradients, LayerNorm, softmax, the loss and AdamW in single precision), which needs a TorchSharp
    /// <see cref="Device"/> (a saved model keeps single-precision weights). Recorded in checkpoints: a run does not
    /// resume from one of another precision.
    /// </summary>
    public TrainingPrecision TrainingPrecision { get; set; } = TrainingPrecision.Float32;

    /// <summary>Stop training after this long (the weights so far are kept); null for no limit. Default null.</summary>
    public TimeSpan? MaxDuration { get; set; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(Corpus.Count > 0, nameof(Corpus), Corpus.Count, "at least one path");
        Require(VocabularySize >= 16, nameof(VocabularySize), VocabularySize, "at least 16");
        Require(MaxLength >= 3, nameof(MaxLength), MaxLength, "at least 3");
        Require(HeldOutFraction is >= 0 and < 1, nameof(HeldOutFraction), HeldOutFraction, "in [0, 1)");
        Require(MaxHeldOutSequences >= 1, nameof(MaxHeldOutSequences), MaxHeldOutSequences, "at least 1");
        Require(MaxDuration is null || MaxDuration > TimeSpan.Zero, nameof(MaxDuration), MaxDuration, "positive");
        ArgumentNullException.ThrowIfNull(Device, nameof(Device));
        TrainingPrecisionOption.Validate(TrainingPrecision, Device);
        ArgumentNullException.ThrowIfNull(Masking, nameof(Masking));
        Masking.Validate();
    }

    /// <inheritdoc />
    internal override string RunSettings => TrainingPrecisionOption.Fingerprint(TrainingPrecision);
}
