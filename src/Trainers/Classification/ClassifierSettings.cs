namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// What a fitted text classifier keeps besides its model and tokenizer: the task, the columns it reads and adds, and
/// how it encodes and batches texts. Saved as the <c>settings.json</c> entry of the model zip.
/// </summary>
/// <param name="Task">Binary or multiclass.</param>
/// <param name="Sentence1Column">The text column read.</param>
/// <param name="Sentence2Column">The second text column read, or null.</param>
/// <param name="LabelColumn">The label column trained on.</param>
/// <param name="ScoreColumn">The score column added.</param>
/// <param name="ProbabilityColumn">The probability column added (binary only).</param>
/// <param name="PredictedLabelColumn">The predicted label column added.</param>
/// <param name="MaxTokens">Longest token sequence; longer texts are truncated.</param>
/// <param name="InferenceBatchSize">Rows scored together.</param>
/// <param name="TokenizerFiles">The tokenizer's file names, stored as entries of their own; null until saved.</param>
/// <param name="Precision">The arithmetic of the encoder's products when scoring (single precision in models saved before it existed).</param>
/// <param name="Architecture">The network (a transformer in models saved before it existed).</param>
internal sealed record ClassifierSettings(TextClassificationTask Task, string Sentence1Column, string? Sentence2Column,
    string LabelColumn, string ScoreColumn, string ProbabilityColumn, string PredictedLabelColumn, int MaxTokens,
    int InferenceBatchSize, string[]? TokenizerFiles = null, Precision Precision = Precision.Float32,
    TextClassifierArchitecture Architecture = TextClassifierArchitecture.Transformer)
{
    /// <summary>The settings of a classifier trained with <paramref name="options"/> (whose MaxTokens the trainer has resolved).</summary>
    public static ClassifierSettings From(TextClassificationTask task, TextClassificationOptions options) =>
        new(task, options.Sentence1ColumnName, options.Sentence2ColumnName, options.LabelColumnName, options.ScoreColumnName,
            options.ProbabilityColumnName, options.PredictedLabelColumnName, options.MaxTokens ?? TextClassificationOptions.DefaultMaxTokens, options.InferenceBatchSize,
            Precision: options.Precision, Architecture: options.Architecture);

    /// <summary>What is wrong with settings read from a file (a field missing or out of range), or null when nothing is.</summary>
    public string? Problem() =>
        !Enum.IsDefined(Task) ? $"an unknown task '{Task}'"
        : new[] { Sentence1Column, LabelColumn, ScoreColumn, ProbabilityColumn, PredictedLabelColumn }.Any(string.IsNullOrEmpty)
            ? "a column name that is missing or empty"
        : MaxTokens < 2 ? $"maxTokens {MaxTokens} (at least 2)"
        : InferenceBatchSize < 1 ? $"inferenceBatchSize {InferenceBatchSize} (at least 1)"
        : !Enum.IsDefined(Precision) ? $"an unknown precision '{Precision}'"
        : !Enum.IsDefined(Architecture) ? $"an unknown architecture '{Architecture}'"
        : TokenizerFiles is not { Length: > 0 } ? "no tokenizer file names"
        : TokenizerFiles.FirstOrDefault(n => !Tokenizers.Loading.TokenizerFiles.KnownNames.Contains(n)) is { } odd
            ? $"an unknown tokenizer file name '{odd}' (expected one of {string.Join(", ", Tokenizers.Loading.TokenizerFiles.KnownNames)})"
        : null;
}
