namespace MLNet.Transformers.TorchSharp;

/// <summary>The arithmetic of the TorchSharp backend's inference products.</summary>
public enum TorchPrecision
{
    /// <summary>Single precision (the default).</summary>
    Float32,

    /// <summary>bfloat16 weights and activations in the dense products (oneDNN on CPUs with AVX-512 BF16 or AMX, tensor cores on GPUs), single precision elsewhere.</summary>
    BFloat16,
}
