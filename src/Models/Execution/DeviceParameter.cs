using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution;

/// <summary>
/// A parameter as a backend computes with it: its values and its gradient on the device, beside the host tensors
/// checkpoints, optimizers and the other backend read. On the managed engine both are the host tensors themselves.
/// </summary>
/// <param name="HostValue">The values every save, load and optimizer step uses.</param>
/// <param name="HostGradient">The gradient the optimizer reads.</param>
/// <param name="Value">The values on the device (the host tensor on the managed engine).</param>
/// <param name="Gradient">The gradient on the device, which backward passes add to.</param>
public sealed record DeviceParameter(Tensor HostValue, Tensor HostGradient, DeviceTensor Value, DeviceTensor Gradient);
