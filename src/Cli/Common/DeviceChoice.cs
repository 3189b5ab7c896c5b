using System.CommandLine;
using System.Reflection;
using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Cli.Common;

/// <summary>
/// <c>--device cpu|torch:cpu|cuda|cuda:N</c>: where a command trains. <c>cpu</c> is the managed engine; the others
/// need the TorchSharp backend and a libtorch in the tool, which a tool built with <c>-p:LibTorchPackage=...</c>
/// carries (see docs/gpu.md); without them the check says how to get them.
/// </summary>
internal static class DeviceChoice
{
    /// <summary>The MSBuild property that builds the tool with the TorchSharp backend and a libtorch package.</summary>
    private const string BuildProperty = "-p:LibTorchPackage=TorchSharp-cpu";

    /// <summary>The option.</summary>
    public static Option<string?> Create() => new("--device")
    {
        Description = $"Where to train: {ComputeBackends.DefaultDevice} (the managed engine, the default), torch:cpu (libtorch on the CPU), cuda or cuda:N (an NVIDIA GPU). "
            + $"The libtorch devices need a tool built with the TorchSharp backend ({BuildProperty} or a CUDA package; docs/gpu.md).",
    };

    /// <summary>The <c>--bf16</c> flag: bfloat16 mixed-precision training on a libtorch device.</summary>
    public static Option<bool> MixedPrecision() => new("--bf16")
    {
        Description = "Train in bfloat16 mixed precision (products in bfloat16, weights, gradients and optimizer in float32; "
            + "about 1e-2 relative from float32, docs/gpu.md). Needs --device torch:cpu, cuda or cuda:N.",
    };

    /// <summary>The training precision <c>--bf16</c> asks for on <paramref name="device"/> (as <see cref="Check"/> returned it).</summary>
    /// <exception cref="UserInputException"><c>--bf16</c> on the managed engine.</exception>
    public static TrainingPrecision Precision(bool bf16, string device)
    {
        if (!bf16) return TrainingPrecision.Float32;
        if (device == ComputeBackends.DefaultDevice)
            throw new UserInputException($"--bf16: the managed engine (--device {ComputeBackends.DefaultDevice}) trains in float32; choose --device torch:cpu, cuda or cuda:N for bfloat16.");
        return TrainingPrecision.BFloat16;
    }

    /// <summary>
    /// The device to use: <see cref="ComputeBackends.DefaultDevice"/> when omitted; a named one must be available in
    /// this process (its backend is created once to find out).
    /// </summary>
    /// <exception cref="UserInputException">The device is not known, or this tool cannot run it; the message says why.</exception>
    public static string Check(string? device)
    {
        if (device is null or ComputeBackends.DefaultDevice) return ComputeBackends.DefaultDevice;
        try
        {
            ComputeBackends.Create(device);
        }
        catch (ArgumentException error)
        {
            throw new UserInputException($"--device {device}: {CliErrors.MessageOf(error)}");
        }
        catch (InvalidOperationException) when (!HasTorchSharpBackend())
        {
            throw new UserInputException(
                $"--device {device}: this build of the tool has no TorchSharp backend ({ComputeBackends.TorchSharpPackage}); build it with "
                + $"{BuildProperty} (or a TorchSharp CUDA package for cuda) to train on libtorch, as docs/gpu.md shows.");
        }
        catch (InvalidOperationException error)
        {
            throw new UserInputException($"--device {device}: {CliErrors.OneLine(error.Message)}");
        }
        return device;
    }

    private static bool HasTorchSharpBackend()
    {
        try
        {
            Assembly.Load(ComputeBackends.TorchSharpPackage);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}
