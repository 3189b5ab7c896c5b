using System.Reflection;
using MLNet.Transformers.Models.Execution.Managed;

namespace MLNet.Transformers.Models.Execution;

/// <summary>
/// Turns an option's device name into a backend, without a reference from the core to any native library:
/// <c>cpu</c> (the default) is the managed engine; <c>torch:cpu</c>, <c>cuda</c> and <c>cuda:N</c> are the
/// TorchSharp backend, found by its assembly name in the package <c>MLNet.Transformers.TorchSharp</c>, which the
/// application adds (with <c>TorchSharp-cpu</c> or a CUDA libtorch package). Nothing is cached or registered: each
/// call creates the backend the name asks for.
/// </summary>
public static class ComputeBackends
{
    /// <summary>The default device: the managed engine.</summary>
    public const string DefaultDevice = ManagedBackend.DeviceName;

    /// <summary>The package that brings the TorchSharp backend.</summary>
    public const string TorchSharpPackage = "MLNet.Transformers.TorchSharp";

    private const string TorchBackendType = "MLNet.Transformers.TorchSharp.TorchBackend";

    /// <summary>
    /// Refuses to save a model whose <paramref name="precision"/> only a device that is not saved offers: a saved model
    /// keeps no device and loads on the managed engine, which has no bfloat16 products.
    /// </summary>
    /// <exception cref="InvalidOperationException">The precision is <see cref="Precision.BFloat16"/>; the message says how to save the model.</exception>
    public static void RequireSavable(Precision precision)
    {
        if (precision == Precision.BFloat16)
            throw new InvalidOperationException(
                $"A model with {nameof(Precision)}.{nameof(Precision.BFloat16)} cannot be saved: a saved model keeps no device and loads on the "
                + $"managed engine ('{DefaultDevice}'), which has no bfloat16 products. Build it with {nameof(Precision)}.{nameof(Precision.Float32)} to save "
                + "it; after loading, bfloat16 needs a model built again on a TorchSharp device.");
    }

    /// <summary>
    /// The backend for <paramref name="device"/>. On the managed engine, <paramref name="degreeOfParallelism"/> is the
    /// threads the backend's operations use (null: every core, <see cref="ManagedBackend.Instance"/>); TorchSharp
    /// devices keep libtorch's own thread settings. <paramref name="trainingPrecision"/> is the arithmetic of the
    /// backend's products (<see cref="TrainingPrecision.BFloat16"/> on TorchSharp devices only).
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a known device, or <see cref="TrainingPrecision.BFloat16"/> is asked of the managed engine.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="degreeOfParallelism"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">A TorchSharp device without the package, or a CUDA device without a CUDA libtorch; the message names the package to add.</exception>
    public static ComputeBackend Create(string device, int? degreeOfParallelism = null, TrainingPrecision trainingPrecision = TrainingPrecision.Float32)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (degreeOfParallelism is < 1)
            throw new ArgumentOutOfRangeException(nameof(degreeOfParallelism), degreeOfParallelism, "The degree of parallelism must be at least 1.");
        if (!Enum.IsDefined(trainingPrecision))
            throw new ArgumentOutOfRangeException(nameof(trainingPrecision), trainingPrecision, "Not a defined training precision.");
        if (device == DefaultDevice && trainingPrecision != TrainingPrecision.Float32)
            throw new ArgumentException(
                $"The managed engine ('{DefaultDevice}') trains in {nameof(TrainingPrecision.Float32)} only: {trainingPrecision} needs a TorchSharp device "
                + $"('torch:cpu', 'cuda' or 'cuda:N', package {TorchSharpPackage}).", nameof(trainingPrecision));
        if (device == DefaultDevice)
            return degreeOfParallelism is null ? ManagedBackend.Instance : new ManagedBackend(new ManagedBackendOptions { DegreeOfParallelism = degreeOfParallelism });
        if (!(device.StartsWith("torch:", StringComparison.Ordinal) || device.StartsWith("cuda", StringComparison.Ordinal)))
            throw new ArgumentException(
                $"Device '{device}' is not known: use '{DefaultDevice}' (the managed engine, the default), 'torch:cpu', 'cuda' or 'cuda:N' (package {TorchSharpPackage}).",
                nameof(device));
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(TorchSharpPackage);
        }
        catch (FileNotFoundException)
        {
            throw new InvalidOperationException(
                $"Device '{device}' runs on the TorchSharp backend: add the package {TorchSharpPackage}, and TorchSharp-cpu or a TorchSharp CUDA package, to the application.");
        }
        var type = assembly.GetType(TorchBackendType, throwOnError: true)!;
        try
        {
            return (ComputeBackend)Activator.CreateInstance(type, device, trainingPrecision)!;
        }
        catch (TargetInvocationException error) when (error.InnerException is not null)
        {
            throw error.InnerException;
        }
    }
}
