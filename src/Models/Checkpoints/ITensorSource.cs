namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>A read-only set of named tensors: one safetensors file, a sharded set, or a PyTorch state dict.</summary>
public interface ITensorSource : IDisposable
{
    /// <summary>Where the tensors come from (a file or directory), for messages.</summary>
    string Location { get; }

    /// <summary>Names of the stored tensors, in storage order.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Type and shape of a stored tensor.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has this name.</exception>
    TensorInfo Describe(string name);

    /// <summary>Reads a floating-point tensor, widened or narrowed to float, into <paramref name="destination"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has this name.</exception>
    /// <exception cref="InvalidDataException">The tensor is not floating point or its size differs from the destination's.</exception>
    void Read(string name, Span<float> destination);
}
