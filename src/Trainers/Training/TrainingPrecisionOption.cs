using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Trainers.Training;

/// <summary>The checks and the run fingerprint of a trainer's <see cref="TrainingPrecision"/> option.</summary>
internal static class TrainingPrecisionOption
{
    /// <summary>Refuses an undefined precision, and bfloat16 on the managed engine.</summary>
    /// <exception cref="InvalidOptionException">The precision is undefined, or not single precision on the managed engine.</exception>
    public static void Validate(TrainingPrecision precision, string device)
    {
        if (!Enum.IsDefined(precision))
            throw new InvalidOptionException(nameof(TrainingPrecision), precision, "a defined training precision");
        if (precision != TrainingPrecision.Float32 && device == ComputeBackends.DefaultDevice)
            throw new InvalidOptionException(nameof(TrainingPrecision), precision,
                $"{TrainingPrecision.Float32} on the managed engine (Device '{ComputeBackends.DefaultDevice}'); for {precision} choose a TorchSharp "
                + "Device ('torch:cpu', 'cuda' or 'cuda:N', package " + ComputeBackends.TorchSharpPackage + ")");
    }

    /// <summary>
    /// What the run's fingerprint records of <paramref name="precision"/>: nothing for single precision (so checkpoints
    /// written before the option existed still resume), else the precision, so a checkpoint does not resume in another.
    /// </summary>
    public static string Fingerprint(TrainingPrecision precision) =>
        precision == TrainingPrecision.Float32 ? "" : $" precision={precision}";
}
