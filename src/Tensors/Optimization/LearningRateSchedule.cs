namespace MLNet.Transformers.Tensors;

/// <summary>How the learning rate falls after warmup.</summary>
public enum LearningRateDecay
{
    /// <summary>Linearly to zero at the last step (Hugging Face <c>get_linear_schedule_with_warmup</c>).</summary>
    Linear,

    /// <summary>Half a cosine to zero at the last step (Hugging Face <c>get_cosine_schedule_with_warmup</c>).</summary>
    Cosine,
}

/// <summary>Linear warmup from 0 to the peak learning rate, then linear or cosine decay to 0, as Hugging Face schedules.</summary>
/// <param name="PeakLearningRate">The learning rate at the end of warmup.</param>
/// <param name="WarmupSteps">Steps of linear warmup (0 for none).</param>
/// <param name="TotalSteps">Total training steps; the rate reaches 0 there.</param>
/// <param name="Decay">The shape of the decay after warmup.</param>
public sealed record LearningRateSchedule(float PeakLearningRate, int WarmupSteps, int TotalSteps, LearningRateDecay Decay)
{
    /// <summary>The learning rate for the optimizer step numbered <paramref name="step"/> (0 for the first step).</summary>
    public float At(int step)
    {
        if (step < WarmupSteps) return PeakLearningRate * step / Math.Max(1, WarmupSteps);
        var progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        var factor = Decay switch
        {
            LearningRateDecay.Linear => Math.Max(0.0, 1.0 - progress),
            LearningRateDecay.Cosine => Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * progress))),
            _ => throw new InvalidOperationException($"Unknown decay {Decay}."),
        };
        return (float)(PeakLearningRate * factor);
    }
}
