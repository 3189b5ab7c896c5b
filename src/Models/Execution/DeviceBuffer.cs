namespace MLNet.Transformers.Models.Execution;

/// <summary>
/// A reusable activation slot of a <see cref="ComputeBackend"/>: the tensor it returns keeps its values until the next
/// <see cref="Get"/> of another shape, so a layer keeps what its backward pass reads in slots of its own and an
/// inference workspace reuses one set for every layer.
/// </summary>
public abstract class DeviceBuffer
{
    /// <summary>A tensor of <paramref name="shape"/>, reused while the shape stays; its contents are unspecified.</summary>
    public abstract DeviceTensor Get(params int[] shape);
}
