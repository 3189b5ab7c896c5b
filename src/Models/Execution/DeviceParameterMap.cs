using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution;

/// <summary>Finds the device parameter of each host parameter among a model's bindings.</summary>
public static class DeviceParameterMap
{
    /// <summary>
    /// The device parameter of each of <paramref name="parameters"/>, in their order: the binding of its host tensor,
    /// or, for a parameter that is part of a bound tensor (BERT's query, key and value weights are rows of one packed
    /// projection), a <see cref="ComputeBackend.View">view</see> of that part of the binding's device tensors.
    /// </summary>
    /// <param name="backend">The backend the bindings belong to.</param>
    /// <param name="parameters">The host parameters.</param>
    /// <param name="bound">A model's device parameters, in any order; a tied one may appear more than once.</param>
    /// <exception cref="ArgumentException">
    /// A parameter lies in no bound tensor, or its gradient not at the same place in the binding's gradient, or a host
    /// tensor is bound to two device copies (which would diverge in training).
    /// </exception>
    public static IReadOnlyList<DeviceParameter> Align(ComputeBackend backend, IReadOnlyList<Parameter> parameters, IEnumerable<DeviceParameter> bound)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(bound);
        var byStorage = new Dictionary<float[], List<DeviceParameter>>(ReferenceEqualityComparer.Instance);
        foreach (var device in bound.Distinct<DeviceParameter>(ReferenceEqualityComparer.Instance))
        {
            var sharing = byStorage.TryGetValue(device.HostValue.Storage, out var list) ? list : byStorage[device.HostValue.Storage] = [];
            if (sharing.Any(other => Overlap(other.HostValue, device.HostValue)))
                throw new ArgumentException($"A host tensor {device.HostValue} is bound to two device copies, which would diverge in training.", nameof(bound));
            sharing.Add(device);
        }
        return [.. parameters.Select(p => Find(backend, p, byStorage))];
    }

    private static DeviceParameter Find(ComputeBackend backend, Parameter parameter, Dictionary<float[], List<DeviceParameter>> byStorage)
    {
        var (value, gradient) = (parameter.Value, parameter.Gradient);
        var binding = byStorage.GetValueOrDefault(value.Storage)?.FirstOrDefault(d => Contains(d.HostValue, value))
            ?? throw new ArgumentException($"{parameter.Name} has no device parameter.", nameof(parameter));
        if (ReferenceEquals(binding.HostValue, value) && ReferenceEquals(binding.HostGradient, gradient)) return binding;
        var offset = value.Offset - binding.HostValue.Offset;
        if (!ReferenceEquals(gradient.Storage, binding.HostGradient.Storage) || gradient.Offset - binding.HostGradient.Offset != offset
            || gradient.Length != value.Length)
            throw new ArgumentException($"{parameter.Name}: its gradient is not the part of its binding's gradient that its values are of its values.", nameof(parameter));
        var shape = value.Shape.ToArray();
        return new DeviceParameter(value, gradient, backend.View(binding.Value, offset, shape), backend.View(binding.Gradient, offset, shape));
    }

    /// <summary>Whether <paramref name="part"/>'s elements lie within <paramref name="whole"/>'s (same storage).</summary>
    private static bool Contains(Tensor whole, Tensor part) =>
        part.Offset >= whole.Offset && part.Offset + part.Length <= whole.Offset + whole.Length;

    private static bool Overlap(Tensor a, Tensor b) => a.Offset < b.Offset + b.Length && b.Offset < a.Offset + a.Length;
}
