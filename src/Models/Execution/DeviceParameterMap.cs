using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution;

/// <summary>Finds the device parameter of each host parameter among a model's bindings.</summary>
public static class DeviceParameterMap
{
    /// <summary>
    /// The device parameter bound to each of <paramref name="parameters"/> (matched by host value tensor, so renamed
    /// views of a parameter match too), in their order.
    /// </summary>
    /// <param name="parameters">The host parameters.</param>
    /// <param name="bound">A model's device parameters, in any order; a tied tensor may appear more than once.</param>
    /// <exception cref="ArgumentException">A parameter has no device parameter, or two different device copies.</exception>
    public static IReadOnlyList<DeviceParameter> Align(IReadOnlyList<Parameter> parameters, IEnumerable<DeviceParameter> bound)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(bound);
        var byHost = new Dictionary<Tensor, DeviceParameter>(ReferenceEqualityComparer.Instance);
        foreach (var device in bound)
            if (byHost.TryGetValue(device.HostValue, out var other) && !ReferenceEquals(other, device))
                throw new ArgumentException($"A host tensor {device.HostValue} is bound to two device copies, which would diverge in training.", nameof(bound));
            else byHost[device.HostValue] = device;
        return [.. parameters.Select(p => byHost.TryGetValue(p.Value, out var device) ? device
            : throw new ArgumentException($"{p.Name} has no device parameter.", nameof(bound)))];
    }
}
