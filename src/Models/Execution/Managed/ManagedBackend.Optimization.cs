using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution.Managed;

/// <summary>The optimizer's operations: <see cref="GradientClipping"/>'s and <see cref="AdamW"/>'s arithmetic on the host tensors.</summary>
public sealed partial class ManagedBackend
{
    /// <inheritdoc />
    public override IDisposable KeepOnDevice(IEnumerable<DeviceParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return NoScope.Instance;
    }

    /// <inheritdoc />
    public override DeviceTensor CreateState(Tensor initial) => new HostTensor(initial);

    /// <inheritdoc />
    public override void ReleaseState(DeviceTensor state)
    {
    }

    /// <inheritdoc />
    public override DeviceTensor View(DeviceTensor tensor, int offset, params int[] shape)
    {
        var host = tensor is HostTensor h ? h.Value
            : throw new ArgumentException($"The managed engine computes on its own tensors, got a {tensor.GetType().Name}.", nameof(tensor));
        var view = Tensor.Wrap(host.Storage, host.Offset + offset, shape);
        if (offset < 0 || offset + view.Length > host.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"A view of {view.Length} elements from {offset} reaches outside {host}.");
        return new HostTensor(view);
    }

    /// <inheritdoc />
    public override double GradientSquareSum(IEnumerable<DeviceParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        foreach (var parameter in parameters) sum = GradientClipping.AddSquares(S(parameter.Gradient), sum);
        return sum;
    }

    /// <inheritdoc />
    public override void ScaleGradients(IEnumerable<DeviceParameter> parameters, float coefficient)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var parameter in parameters) System.Numerics.Tensors.TensorPrimitives.Multiply(S(parameter.Gradient), coefficient, S(parameter.Gradient));
    }

    /// <inheritdoc />
    public override void AdamWStep(DeviceParameter parameter, DeviceTensor firstMoment, DeviceTensor secondMoment, AdamWUpdate update)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        using var scope = Enter();
        AdamW.Update(S(parameter.Value), S(parameter.Gradient), S(firstMoment), S(secondMoment), update);
    }

    /// <summary>The scope of <see cref="KeepOnDevice"/> here, where the host tensors are the device's: nothing to undo.</summary>
    private sealed class NoScope : IDisposable
    {
        public static NoScope Instance { get; } = new();

        public void Dispose()
        {
        }
    }
}
