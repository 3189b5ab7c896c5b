using MLNet.Transformers.Models.Execution;
using static TorchSharp.torch;
using HostTensor = MLNet.Transformers.Tensors.Tensor;
using Tensor = TorchSharp.torch.Tensor;

namespace MLNet.Transformers.TorchSharp;

/// <summary>
/// The optimizer's operations on libtorch tensors, in place and outside autograd, on whatever device the parameters
/// are: AdamW as <c>torch.optim.AdamW</c>'s single-tensor path (<c>foreach=False</c>) computes it, in the parameters'
/// element type, with the step's scalars from <see cref="Tensors.AdamWUpdate"/> (so the host optimizer and this one
/// start from the same values); the squared gradient norm summed on the device, one scalar coming back.
/// </summary>
public sealed partial class TorchBackend
{
    private readonly Dictionary<DeviceParameter, int> _resident = new(ReferenceEqualityComparer.Instance);

    /// <inheritdoc />
    public override IDisposable KeepOnDevice(IEnumerable<DeviceParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        DeviceParameter[] held = [.. parameters.Distinct<DeviceParameter>(ReferenceEqualityComparer.Instance)];
        lock (_resident)
            foreach (var parameter in held) _resident[parameter] = _resident.GetValueOrDefault(parameter) + 1;
        return new Residency(this, held);
    }

    /// <summary>Whether <paramref name="parameter"/> is in a <see cref="KeepOnDevice"/> scope.</summary>
    private bool IsResident(DeviceParameter parameter)
    {
        lock (_resident) return _resident.ContainsKey(parameter);
    }

    /// <inheritdoc />
    public override DeviceTensor CreateState(HostTensor initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        var state = Persistent(initial);
        Upload(initial.Span, state);
        return state;
    }

    /// <inheritdoc />
    public override void ReleaseState(DeviceTensor state) => T(state).Dispose();

    /// <inheritdoc />
    public override DeviceTensor View(DeviceTensor tensor, int offset, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var length = shape.Aggregate(1L, (product, dim) => product * dim);
        if (offset < 0 || offset + length > tensor.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"A view of {length} elements from {offset} reaches outside {tensor}.");
        var view = T(tensor).view(-1).narrow(0, offset, length).view([.. shape.Select(d => (long)d)]);
        view.DetachFromDisposeScope();
        return new TorchTensor(view);
    }

    /// <inheritdoc />
    public override double GradientSquareSum(IEnumerable<DeviceParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sums = new List<Tensor>(); // one () per parameter
        foreach (var parameter in parameters)
        {
            using var perParameter = NewDisposeScope(); // frees each double-precision copy before the next
            var flat = T(parameter.Gradient).reshape(-1).to(ScalarType.Float64); // (n)
            sums.Add(flat.dot(flat).MoveToOuterDisposeScope());
        }
        if (sums.Count == 0) return 0;
        var total = stack(sums).sum(); // () on the device
        CountDownloaded(1);
        return total.cpu().item<double>();
    }

    /// <inheritdoc />
    public override void ScaleGradients(IEnumerable<DeviceParameter> parameters, float coefficient)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var noGrad = no_grad();
        foreach (var parameter in parameters) T(parameter.Gradient).mul_(coefficient);
    }

    /// <inheritdoc />
    public override void AdamWStep(DeviceParameter parameter, DeviceTensor firstMoment, DeviceTensor secondMoment, Tensors.AdamWUpdate update)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ForgetProductCopies();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (value, gradient, m, v) = (T(parameter.Value), T(parameter.Gradient), T(firstMoment), T(secondMoment));
        if (update.WeightDecay != 0) value.mul_(update.DecayFactor);
        m.lerp_(gradient, 1 - update.Beta1);
        v.mul_(update.Beta2).addcmul_(gradient, gradient, 1 - update.Beta2);
        var denominator = v.sqrt().div_(update.SecondCorrectionSqrt).add_(update.Epsilon); // parameter's shape
        value.addcdiv_(m, denominator, -update.StepSize);
    }

    /// <summary>A <see cref="KeepOnDevice"/> scope: releases its parameters once.</summary>
    private sealed class Residency(TorchBackend backend, DeviceParameter[] held) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            lock (backend._resident)
                foreach (var parameter in held)
                    if (--backend._resident[parameter] == 0) backend._resident.Remove(parameter);
        }
    }
}
