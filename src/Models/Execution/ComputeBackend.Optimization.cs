using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution;

/// <summary>
/// The optimizer's operations, so that training keeps its parameters on the device: the global gradient norm and its
/// clipping, AdamW's update with moment estimates held by the backend, and a scope in which the device copies of
/// parameters are the authoritative ones (see <see cref="DeviceAdamW"/>). On the managed engine each is the host
/// optimizer's own arithmetic on the host tensors, bit for bit.
/// </summary>
public abstract partial class ComputeBackend
{
    /// <summary>
    /// Makes the device copies of <paramref name="parameters"/> authoritative until the returned scope is disposed:
    /// <see cref="PushValues"/> leaves their device values alone (the device holds newer values than the host) and
    /// <see cref="PullGradients"/> leaves their gradients to add up on the device (the optimizer reads them there).
    /// Copies between the host and the device are then the caller's (e.g. <see cref="Upload"/>,
    /// <see cref="Download"/>). Nothing changes on a backend that <see cref="SharesHostMemory"/>.
    /// </summary>
    public abstract IDisposable KeepOnDevice(IEnumerable<DeviceParameter> parameters);

    /// <summary>
    /// A device tensor holding <paramref name="initial"/>'s values (same shape) for state an optimizer updates on the
    /// device: <paramref name="initial"/> itself on the managed engine, else a copy.
    /// </summary>
    public abstract DeviceTensor CreateState(Tensor initial);

    /// <summary>
    /// Frees the device memory of <paramref name="state"/>, a tensor from <see cref="CreateState"/> that is no longer
    /// used (nothing to free on the managed engine, where it is the host tensor). A GPU's memory is not the garbage
    /// collector's to watch, so optimizer state is released when its run ends.
    /// </summary>
    public abstract void ReleaseState(DeviceTensor state);

    /// <summary>
    /// A view of <paramref name="shape"/> over the elements of <paramref name="tensor"/> (row-major) from
    /// <paramref name="offset"/> on, sharing its memory: what an operation writes into the view changes
    /// <paramref name="tensor"/>. It gives a parameter packed into a larger tensor (BERT's query, key and value in one
    /// projection) a device tensor of its own.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The view reaches outside <paramref name="tensor"/>.</exception>
    public abstract DeviceTensor View(DeviceTensor tensor, int offset, params int[] shape);

    /// <summary>Σ g² over every element of the device gradients of <paramref name="parameters"/>, accumulated in double precision.</summary>
    public abstract double GradientSquareSum(IEnumerable<DeviceParameter> parameters);

    /// <summary>Multiplies the device gradients of <paramref name="parameters"/> by <paramref name="coefficient"/> in place.</summary>
    public abstract void ScaleGradients(IEnumerable<DeviceParameter> parameters, float coefficient);

    /// <summary>
    /// One AdamW update of <paramref name="parameter"/>'s device values from its device gradient, in place, with its
    /// moment estimates (tensors of the parameter's shape from <see cref="CreateState"/>), as
    /// <see cref="AdamW.Update"/> defines it.
    /// </summary>
    /// <param name="parameter">The parameter; its values are updated.</param>
    /// <param name="firstMoment">m, updated.</param>
    /// <param name="secondMoment">v, updated.</param>
    /// <param name="update">The step's hyper-parameters for this parameter (λ = 0 for one that does not decay).</param>
    public abstract void AdamWStep(DeviceParameter parameter, DeviceTensor firstMoment, DeviceTensor secondMoment, AdamWUpdate update);
}
