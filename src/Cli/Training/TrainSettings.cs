using System.Globalization;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Models;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Cli.Training;

/// <summary>What the <c>train</c> command line asked for; null options leave the trainer's documented default.</summary>
internal sealed record TrainSettings
{
    /// <summary>The training data file.</summary>
    public required string DataPath { get; init; }

    /// <summary>The text column.</summary>
    public required string TextColumn { get; init; }

    /// <summary>The second text column of a pair task, or null.</summary>
    public string? PairColumn { get; init; }

    /// <summary>The label column.</summary>
    public required string LabelColumn { get; init; }

    /// <summary>The model zip to write.</summary>
    public required string OutputPath { get; init; }

    /// <summary>A checkpoint to fine-tune (a directory or an <c>.onnx</c> file), or null for a preset.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>The preset name of a fresh model, or null.</summary>
    public string? Preset { get; init; }

    /// <summary>The network's command-line name (<see cref="TextClassifierArchitectureNames"/>), or null for a transformer.</summary>
    public string? Architecture { get; init; }

    /// <summary>The tokenizer of a preset model.</summary>
    public string? TokenizerPath { get; init; }

    /// <summary>The validation data file, or null.</summary>
    public string? ValidationPath { get; init; }

    /// <summary>Column names of header-less .tsv/.csv files, or null.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Epochs.</summary>
    public int? Epochs { get; init; }

    /// <summary>Batch size.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Peak learning rate.</summary>
    public float? LearningRate { get; init; }

    /// <summary>Maximum tokens per input.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Warm-up ratio.</summary>
    public float? WarmupRatio { get; init; }

    /// <summary>Weight decay.</summary>
    public float? WeightDecay { get; init; }

    /// <summary>Early-stopping patience in validations.</summary>
    public int? Patience { get; init; }

    /// <summary>Degree of parallelism.</summary>
    public int? Threads { get; init; }

    /// <summary>Where training runs (<c>--device</c>), or null for the managed engine.</summary>
    public string? Device { get; init; }

    /// <summary>Whether training runs in bfloat16 mixed precision (<c>--bf16</c>; a libtorch device only).</summary>
    public bool BFloat16 { get; init; }

    /// <summary>Dropout of hidden states, attention and classifier.</summary>
    public float? Dropout { get; init; }

    /// <summary>Frozen encoder layers (the embeddings too).</summary>
    public int? FrozenLayers { get; init; }

    /// <summary>
    /// The trainer options these settings ask for; unset ones keep the trainer's defaults, except that the default
    /// <c>--max-length</c> shrinks to what the model holds when that is less.
    /// </summary>
    /// <exception cref="UserInputException">An option is out of its range or contradicts another; the message names it.</exception>
    public TextClassificationOptions ToTrainerOptions()
    {
        var limits = CheckModelOptions();
        CheckRanges(limits);
        var defaults = new TextClassificationOptions();
        var device = DeviceChoice.Check(Device);
        var options = new TextClassificationOptions
        {
            Sentence1ColumnName = TextColumn,
            Sentence2ColumnName = PairColumn,
            LabelColumnName = LabelColumn,
            ModelPath = ModelDirectory,
            Architecture = ParsedArchitecture,
            Preset = Preset ?? defaults.Preset,
            TokenizerPath = TokenizerPath,
            Epochs = Epochs ?? defaults.Epochs,
            BatchSize = BatchSize ?? defaults.BatchSize,
            LearningRate = LearningRate,
            MaxTokens = MaxLength ?? Math.Min(TextClassificationOptions.DefaultMaxTokens, limits.MaxSequenceLength),
            Seed = Seed ?? TrainingOptions.DefaultSeed,
            WarmupRatio = WarmupRatio ?? defaults.WarmupRatio,
            WeightDecay = WeightDecay ?? defaults.WeightDecay,
            EarlyStoppingPatience = Patience,
            DegreeOfParallelism = Threads,
            Device = device,
            TrainingPrecision = DeviceChoice.Precision(BFloat16, device),
            Dropout = Dropout,
            FrozenLayers = FrozenLayers ?? defaults.FrozenLayers,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException error)
        {
            // The checks above cover every option the command line sets; this is the trainer's word on anything else.
            throw new UserInputException($"invalid training option: {CliErrors.MessageOf(error)}");
        }
        return options;
    }

    /// <summary>Checks where the model comes from; returns its limits.</summary>
    private ModelLimits CheckModelOptions()
    {
        if (Architecture is not null && TextClassifierArchitectureNames.Parse(Architecture) is null)
            throw new UserInputException($"--architecture {Architecture}: unknown (use {string.Join(", ", TextClassifierArchitectureNames.All)}).");
        if (ParsedArchitecture != TextClassifierArchitecture.Transformer)
        {
            if (ModelDirectory is not null) throw new UserInputException($"--architecture {Architecture} trains a recurrent network from scratch: give --tokenizer, not --model.");
            if (Preset is not null) throw new UserInputException($"--preset {Preset}: presets size transformers; --architecture {Architecture} is a recurrent network.");
            if (TokenizerPath is null) throw new UserInputException($"--tokenizer: --architecture {Architecture} needs a tokenizer (a vocab.txt, a tokenizer.json or a checkpoint directory).");
            OptionCheck.ExistingFileOrDirectory("--tokenizer", TokenizerPath, "a tokenizer.json, a vocab.txt or a checkpoint folder");
            return ModelLimits.OfRecurrent(Architecture!);
        }
        if (ModelDirectory is not null && Preset is not null) throw new UserInputException("--model and --preset: give one (a checkpoint to fine-tune, or the size of a fresh model).");
        if (ModelDirectory is null && TokenizerPath is null) throw new UserInputException("--tokenizer: a fresh --preset model needs a tokenizer (a vocab.txt, a tokenizer.json or a checkpoint directory).");
        OptionCheck.ExistingCheckpoint("--model", ModelDirectory);
        OptionCheck.ExistingFileOrDirectory("--tokenizer", TokenizerPath, "a tokenizer.json, a vocab.txt or a checkpoint folder");
        if (Preset is not null && !BertPresets.Names.Contains(Preset, StringComparer.OrdinalIgnoreCase))
            throw new UserInputException($"--preset {Preset}: unknown size (use {string.Join(", ", BertPresets.Names)}).");
        return ModelDirectory is not null ? ModelLimits.OfCheckpoint(ModelDirectory) : ModelLimits.OfPreset(Preset ?? TextClassificationOptions.DefaultPreset);
    }

    private TextClassifierArchitecture ParsedArchitecture =>
        Architecture is null ? TextClassifierArchitecture.Transformer : TextClassifierArchitectureNames.Parse(Architecture) ?? TextClassifierArchitecture.Transformer;

    private void CheckRanges(ModelLimits limits)
    {
        OptionCheck.AtLeast("--epochs", Epochs, 1);
        OptionCheck.AtLeast("--batch-size", BatchSize, 1);
        OptionCheck.Positive("--learning-rate", LearningRate);
        limits.CheckMaxLength(MaxLength);
        OptionCheck.Fraction("--warmup-ratio", WarmupRatio, oneAllowed: true);
        OptionCheck.NonNegative("--weight-decay", WeightDecay);
        OptionCheck.AtLeast("--patience", Patience, 1);
        if (Patience is not null && ValidationPath is null) throw new UserInputException($"--patience {Patience}: early stopping needs --validation data to watch.");
        OptionCheck.AtLeast("--threads", Threads, 1);
        OptionCheck.Fraction("--dropout", Dropout, oneAllowed: false);
        OptionCheck.Between("--frozen-layers", FrozenLayers, 0, limits.Layers, $"the model has {limits.Layers} encoder layers");
    }

    /// <summary>The options a run used, as (name, value) rows for the report.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Describe(TextClassificationOptions options, string dataPath, string? validationPath)
    {
        var rows = new List<KeyValuePair<string, string>>();
        void Add(string name, object? value)
        {
            if (value is not null) rows.Add(new(name, Convert.ToString(value, CultureInfo.InvariantCulture)!));
        }
        Add("data", Path.GetFileName(dataPath));
        Add("validation", validationPath is null ? null : Path.GetFileName(validationPath));
        Add("text column", options.Sentence1ColumnName);
        Add("text pair column", options.Sentence2ColumnName);
        Add("label column", options.LabelColumnName);
        Add("model", options.IsRecurrent ? $"fresh {TextClassifierArchitectureNames.NameOf(options.Architecture)} network"
            : options.ModelPath is null ? $"fresh '{options.Preset}' preset" : Path.GetFileName(Path.TrimEndingDirectorySeparator(options.ModelPath)));
        Add("tokenizer", options.TokenizerPath is null ? null : Path.GetFileName(Path.TrimEndingDirectorySeparator(options.TokenizerPath)));
        Add("epochs", options.Epochs);
        Add("batch size", options.BatchSize);
        Add("learning rate", options.EffectiveLearningRate);
        Add("schedule", options.Schedule);
        Add("warmup ratio", options.WarmupRatio);
        Add("weight decay", options.WeightDecay);
        Add("max gradient norm", options.MaxGradientNorm);
        Add("max tokens", options.MaxTokens);
        Add("dropout", options.Dropout?.ToString(CultureInfo.InvariantCulture) ?? "the model's");
        Add("frozen layers", options.FrozenLayers);
        Add("early-stopping patience", options.EarlyStoppingPatience);
        Add("seed", options.Seed);
        Add("threads", options.DegreeOfParallelism?.ToString(CultureInfo.InvariantCulture) ?? "all cores");
        Add("device", options.Device);
        Add("training precision", options.TrainingPrecision);
        return rows;
    }
}
