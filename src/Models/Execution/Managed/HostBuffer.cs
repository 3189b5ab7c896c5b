using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution.Managed;

/// <summary>A <see cref="TensorBuffer"/> as the managed engine's activation slot: grown to the largest shape, reused.</summary>
internal sealed class HostBuffer : DeviceBuffer
{
    private readonly TensorBuffer _buffer = new();
    private HostTensor? _last;

    /// <inheritdoc />
    public override DeviceTensor Get(params int[] shape)
    {
        var tensor = shape.Length switch
        {
            1 => _buffer.Get(shape[0]),
            2 => _buffer.Get(shape[0], shape[1]),
            3 => _buffer.Get(shape[0], shape[1], shape[2]),
            4 => _buffer.Get(shape[0], shape[1], shape[2], shape[3]),
            _ => throw new ArgumentException($"A buffer holds 1 to 4 dimensions, asked for {shape.Length}.", nameof(shape)),
        };
        return _last is not null && ReferenceEquals(_last.Value, tensor) ? _last : _last = new HostTensor(tensor);
    }
}
