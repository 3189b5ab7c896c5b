using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution;

/// <summary>
/// Moves one tensor role between the host and a backend: on the managed engine a host tensor is its device tensor
/// (no copy); elsewhere it is uploaded into a slot of its own, or downloaded into a host buffer of its own.
/// </summary>
internal sealed class HostExchange(ComputeBackend backend)
{
    private readonly DeviceBuffer _device = backend.CreateBuffer();
    private readonly TensorBuffer _host = new();

    /// <summary><paramref name="tensor"/> on the device, valid until the next call.</summary>
    public DeviceTensor ToDevice(Tensor tensor)
    {
        if (backend.SharesHostMemory) return new HostTensor(tensor);
        var device = _device.Get(tensor.Shape.ToArray());
        backend.Upload(tensor.Span, device);
        return device;
    }

    /// <summary><paramref name="tensor"/> on the host, valid until the next call.</summary>
    public Tensor ToHost(DeviceTensor tensor)
    {
        if (tensor is HostTensor host) return host.Value;
        var shape = tensor.Shape.ToArray();
        var result = shape.Length switch
        {
            1 => _host.Get(shape[0]),
            2 => _host.Get(shape[0], shape[1]),
            3 => _host.Get(shape[0], shape[1], shape[2]),
            _ => _host.Get(shape[0], shape[1], shape[2], shape[3]),
        };
        backend.Download(tensor, result.Span);
        return result;
    }
}
