using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Transformers.TorchSharp;

/// <summary>
/// The device names the TorchSharp backend takes: <c>torch:cpu</c> (libtorch on the CPU; plain <c>cpu</c> names the
/// managed engine), <c>cuda</c> (the first GPU) and <c>cuda:N</c>.
/// </summary>
public static class TorchDevices
{
    /// <summary>libtorch on the CPU.</summary>
    public const string Cpu = "torch:cpu";

    /// <summary>The first CUDA GPU.</summary>
    public const string Cuda = "cuda";

    /// <summary>The packages that bring a CUDA libtorch, named in the error when none is present.</summary>
    public const string CudaPackages = "TorchSharp-cuda-linux (Linux) or TorchSharp-cuda-windows (Windows)";

    /// <summary>Whether <paramref name="device"/> names a device of this backend.</summary>
    public static bool IsTorchDevice(string device) =>
        device == Cpu || device == Cuda || device.StartsWith(Cuda + ":", StringComparison.Ordinal);

    /// <summary>The libtorch device for a name.</summary>
    /// <exception cref="ArgumentException">The name is not a device of this backend.</exception>
    /// <exception cref="InvalidOperationException">A CUDA device without a CUDA libtorch or GPU; the message names the packages to add.</exception>
    public static Device Resolve(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!IsTorchDevice(device))
            throw new ArgumentException(
                $"Device '{device}' is not a TorchSharp device (use {Cpu}, {Cuda} or {Cuda}:N; 'cpu' is the managed engine).", nameof(device));
        if (device == Cpu) return CPU;
        var index = device == Cuda ? 0 : ParseIndex(device);
        if (!cuda.is_available())
            throw new InvalidOperationException(
                $"Device '{device}' needs libtorch with CUDA and an NVIDIA GPU, and this process has neither: add the package {CudaPackages} in place of TorchSharp-cpu.");
        if (index >= cuda.device_count())
            throw new ArgumentException($"Device '{device}' does not exist: {cuda.device_count()} CUDA devices are visible.", nameof(device));
        return new Device(DeviceType.CUDA, index);
    }

    private static int ParseIndex(string device) =>
        int.TryParse(device.AsSpan(Cuda.Length + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new ArgumentException($"Device '{device}' has no valid GPU index after '{Cuda}:'.", nameof(device));
}
