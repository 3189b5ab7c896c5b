using System.Runtime.CompilerServices;
using MLNet.Transformers.Models.Execution;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLNet.Transformers.TorchSharp;

/// <summary>
/// bfloat16 mixed precision (<see cref="TrainingPrecision.BFloat16"/>), as PyTorch's autocast: the products take
/// bfloat16 operands, libtorch sums them in single precision and rounds the result to bfloat16, and the result goes on
/// in single precision. Each single-precision weight is converted once and the copy kept until the weight's backward
/// product has read it or its values are written through this backend (<see cref="Upload"/>, <see cref="PushValues"/>,
/// <see cref="CopyInto"/>, <see cref="Fill"/>, and every copy at an optimizer step, <see cref="AdamWStep"/>), so a
/// forward and backward pass converts each weight once and no product reads a weight's values from before a step.
/// </summary>
public sealed partial class TorchBackend
{
    /// <summary>The bfloat16 copies of weights, by the weight's device tensor (a copy goes with its weight).</summary>
    private readonly ConditionalWeakTable<DeviceTensor, Tensor> _productCopies = new();

    /// <inheritdoc />
    public override TrainingPrecision TrainingPrecision { get; }

    /// <summary>Whether products run in bfloat16.</summary>
    private bool MixedPrecision => TrainingPrecision == TrainingPrecision.BFloat16;

    /// <summary>
    /// <paramref name="weight"/> as this backend's products read it: in mixed precision the bfloat16 copy of a
    /// single-precision weight (made once, outliving every scope), else the weight itself.
    /// </summary>
    private Tensor ProductWeight(DeviceTensor weight)
    {
        var value = T(weight);
        if (!MixedPrecision || value.dtype != _elementType) return value;
        lock (_productCopies)
        {
            if (_productCopies.TryGetValue(weight, out var kept)) return kept;
            var copy = value.to(ScalarType.BFloat16, copy: true);
            copy.DetachFromDisposeScope();
            _productCopies.Add(weight, copy);
            return copy;
        }
    }

    /// <summary>Drops the bfloat16 copy of <paramref name="weight"/>, if any (its values change, or its step's products are done).</summary>
    private void ForgetProductCopy(DeviceTensor weight)
    {
        if (!MixedPrecision) return;
        lock (_productCopies)
        {
            if (!_productCopies.TryGetValue(weight, out var copy)) return;
            _productCopies.Remove(weight);
            copy.Dispose();
        }
    }

    /// <summary>
    /// Drops every bfloat16 copy: an optimizer step writes the weights in place, also those whose last forward had no
    /// backward (held-out evaluation) and those reached through a view of a packed weight.
    /// </summary>
    private void ForgetProductCopies()
    {
        if (!MixedPrecision) return;
        lock (_productCopies)
        {
            foreach (var (_, copy) in _productCopies) copy.Dispose();
            _productCopies.Clear();
        }
    }

    /// <summary>
    /// <paramref name="a"/> (…, M, K) · <paramref name="b"/> (…, K, N) in the element type: in mixed precision over
    /// bfloat16 operands (single-precision sums, a bfloat16 result widened), else as they are.
    /// </summary>
    private Tensor Product(Tensor a, Tensor b) => MixedPrecision
        ? a.to(ScalarType.BFloat16).matmul(b.to(ScalarType.BFloat16)).to(_elementType)
        : a.matmul(b);
}
