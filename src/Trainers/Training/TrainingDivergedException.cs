namespace MLNet.Transformers.Trainers.Training;

/// <summary>The loss or the gradients became NaN or infinite; the step's update was not applied.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for step <paramref name="step"/> (1-based).</summary>
    public TrainingDivergedException(int step, string quantity, string? lastCheckpoint)
        : base($"Training diverged at step {step}: the {quantity} is not a finite number. "
            + (lastCheckpoint is null
                ? "No checkpoint was written; try a lower learning rate."
                : $"The last good checkpoint is kept at '{lastCheckpoint}'; try a lower learning rate."))
    {
        Step = step;
        LastCheckpoint = lastCheckpoint;
    }

    /// <summary>The optimizer step (1-based) whose loss or gradient was not finite.</summary>
    public int Step { get; }

    /// <summary>The directory of the last checkpoint written before, or null.</summary>
    public string? LastCheckpoint { get; }
}
