namespace MLNet.Transformers.Trainers.Training;

/// <summary>What a training run is doing when it reports progress.</summary>
public enum TrainingPhase
{
    /// <summary>Preparing: tokenizing the data, building the model.</summary>
    Preparing,

    /// <summary>An optimizer step has finished.</summary>
    Training,

    /// <summary>A validation pass has finished (<see cref="TrainingProgress.Validation"/> holds its result).</summary>
    Validating,

    /// <summary>A checkpoint has been written.</summary>
    Checkpointing,

    /// <summary>The run has ended (all epochs, early stopping, or the step limit).</summary>
    Completed,
}

/// <summary>The result of one validation pass.</summary>
/// <param name="Loss">Mean loss over the validation examples.</param>
/// <param name="Accuracy">Fraction of examples predicted correctly, or null when the task has none.</param>
/// <param name="MacroAccuracy">Mean of per-class accuracies (recalls), or null.</param>
/// <param name="MetricName">Name of an extra task metric (e.g. <c>auc</c>), or null.</param>
/// <param name="MetricValue">Value of the extra metric, or null.</param>
public sealed record ValidationResult(double Loss, double? Accuracy = null, double? MacroAccuracy = null,
    string? MetricName = null, double? MetricValue = null)
{
    /// <summary>
    /// Whether this result is better than <paramref name="other"/>: higher accuracy when both have one (ties go to
    /// the lower loss), otherwise lower loss.
    /// </summary>
    public bool IsBetterThan(ValidationResult? other)
    {
        if (other is null) return true;
        if (Accuracy is { } a && other.Accuracy is { } b && a != b) return a > b;
        return Loss < other.Loss;
    }
}

/// <summary>One progress report of a training run.</summary>
/// <param name="Phase">What just happened.</param>
/// <param name="Epoch">The current epoch, 1-based.</param>
/// <param name="Epochs">The number of epochs planned.</param>
/// <param name="Step">Optimizer steps completed so far.</param>
/// <param name="TotalSteps">Optimizer steps planned.</param>
/// <param name="Loss">Training loss of the last step (NaN before the first).</param>
/// <param name="LearningRate">Learning rate of the last step.</param>
/// <param name="ExamplesPerSecond">Training examples per second since the run (or resume) started.</param>
/// <param name="Eta">Estimated time to the planned end, or null before it can be estimated.</param>
/// <param name="Validation">The latest validation result in a <see cref="TrainingPhase.Validating"/> report, else null.</param>
/// <param name="TruncatedRowCount">
/// In the <see cref="TrainingPhase.Preparing"/> report sent once the training data is tokenized: the rows longer than
/// the token limit, cut to fit (see <see cref="TrainingHistory.TruncatedRowCount"/>); else null.
/// </param>
public sealed record TrainingProgress(TrainingPhase Phase, int Epoch, int Epochs, int Step, int TotalSteps, double Loss,
    double LearningRate, double ExamplesPerSecond, TimeSpan? Eta, ValidationResult? Validation = null, int? TruncatedRowCount = null);
