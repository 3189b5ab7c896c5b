using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>An attention mask given as B·T floats (1 real, 0 padding), as the backend's (B, T) tensor.</summary>
internal sealed class DeviceMask(ComputeBackend backend)
{
    private readonly TensorBuffer _host = new();
    private readonly HostExchange _exchange = new(backend);

    /// <summary>The mask (B, T) on the device, valid until the next call; null for an empty mask (no padding).</summary>
    /// <exception cref="ArgumentException">The mask is not one entry per token.</exception>
    public DeviceTensor? ToDevice(ReadOnlySpan<float> mask, int b, int t)
    {
        if (mask.IsEmpty) return null;
        if (mask.Length != b * t)
            throw new ArgumentException($"The attention mask has {mask.Length} entries for {b * t} tokens.", nameof(mask));
        var host = _host.Get(b, t); // (B, T)
        mask.CopyTo(host.Span);
        return _exchange.ToDevice(host);
    }
}
