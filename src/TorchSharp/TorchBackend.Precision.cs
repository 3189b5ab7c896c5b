using MLNet.Transformers.Models.Execution;
using static TorchSharp.torch;

namespace MLNet.Transformers.TorchSharp;

/// <summary>Inference weights prepared by the TorchSharp backend.</summary>
public sealed partial class TorchBackend
{
    /// <inheritdoc />
    /// <remarks>
    /// <see cref="Precision.Float32"/> (a copy of the weight) and <see cref="Precision.BFloat16"/> (the weight in
    /// bfloat16; <see cref="Linear"/> then runs the product in bfloat16 and gives single precision).
    /// </remarks>
    public override DeviceTensor PrepareWeight(DeviceParameter weight, Precision precision)
    {
        var prepared = T(weight.Value).to(PreparedType(precision), copy: true);
        prepared.DetachFromDisposeScope();
        return new TorchTensor(prepared);
    }

    /// <summary>The element type of weights prepared in <paramref name="precision"/>.</summary>
    private ScalarType PreparedType(Precision precision) => precision switch
    {
        Precision.Float32 => _elementType,
        Precision.BFloat16 => ScalarType.BFloat16,
        _ => throw new NotSupportedException($"The TorchSharp backend has no {precision} products (it offers Float32 and BFloat16)."),
    };
}
