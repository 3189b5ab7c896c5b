namespace MLNet.Transformers.Trainers.Training;

/// <summary>The counters of a run that a checkpoint stores besides tensors (written as <c>trainer_state.json</c>).</summary>
internal sealed class TrainingState
{
    /// <summary>Optimizer steps completed.</summary>
    public int Step { get; set; }

    /// <summary>Steps AdamW has taken (its bias correction).</summary>
    public int OptimizerSteps { get; set; }

    /// <summary>The run's fingerprint: a checkpoint of another run must not be resumed.</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>The best validation so far, or null.</summary>
    public ValidationResult? BestValidation { get; set; }

    /// <summary>The step of <see cref="BestValidation"/>, or null.</summary>
    public int? BestStep { get; set; }

    /// <summary>Validations in a row without improvement.</summary>
    public int ValidationsWithoutImprovement { get; set; }

    /// <summary>Everything measured so far.</summary>
    public TrainingHistory History { get; set; } = new();
}
