using MLNet.Transformers.Models.Execution;
using static TorchSharp.torch;

namespace MLNet.Transformers.TorchSharp;

/// <summary>An activation slot on a device: one tensor, replaced (and the old one freed) when the shape changes.</summary>
internal sealed class TorchBuffer(Device device, ScalarType type) : DeviceBuffer
{
    private TorchTensor? _current;

    /// <inheritdoc />
    public override DeviceTensor Get(params int[] shape)
    {
        if (_current is not null && _current.Shape.SequenceEqual(shape)) return _current;
        _current?.Value.Dispose();
        var created = empty([.. shape.Select(d => (long)d)], type, device);
        created.DetachFromDisposeScope();
        return _current = new TorchTensor(created);
    }
}
