namespace MLNet.Transformers.Models.Execution;

/// <summary>The arithmetic of the backend's training products.</summary>
public abstract partial class ComputeBackend
{
    /// <summary>
    /// The arithmetic of the products this backend runs over single-precision weights (see
    /// <see cref="MLNet.Transformers.TrainingPrecision"/>): <see cref="TrainingPrecision.Float32"/> unless the backend
    /// was created for <see cref="TrainingPrecision.BFloat16"/> mixed precision.
    /// </summary>
    public virtual TrainingPrecision TrainingPrecision => TrainingPrecision.Float32;
}
