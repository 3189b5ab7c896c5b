using MLNet.Transformers.Models.Execution;
using static TorchSharp.torch;

namespace MLNet.Transformers.TorchSharp;

/// <summary>Inference weights prepared by the TorchSharp backend.</summary>
public sealed partial class TorchBackend
{
    /// <inheritdoc />
    /// <remarks><see cref="Precision.Float32"/> only; bfloat16 weights come from <see cref="PrepareWeight(DeviceParameter, TorchPrecision)"/>.</remarks>
    public override DeviceTensor PrepareWeight(DeviceParameter weight, Precision precision) => precision switch
    {
        Precision.Float32 => PrepareWeight(weight, TorchPrecision.Float32),
        _ => throw new NotSupportedException($"The TorchSharp backend has no {precision} products (it offers {nameof(TorchPrecision.BFloat16)})."),
    };

    /// <summary>A snapshot of a weight (O, C) in <paramref name="precision"/>; products over it run in that type and give single precision.</summary>
    public DeviceTensor PrepareWeight(DeviceParameter weight, TorchPrecision precision)
    {
        var type = precision == TorchPrecision.BFloat16 ? ScalarType.BFloat16 : _elementType;
        var prepared = T(weight.Value).to(type, copy: true);
        prepared.DetachFromDisposeScope();
        return new TorchTensor(prepared);
    }
}
