namespace MLNet.Transformers;

/// <summary>
/// The arithmetic of an encoder's dense products at inference (the query/key/value, attention output, intermediate
/// and output layers, which take nearly all the time). Attention, softmax, LayerNorm, GELU, embeddings, pooling and
/// heads stay in single precision either way.
/// </summary>
public enum Precision
{
    /// <summary>Single-precision products over the weights as they are (the default).</summary>
    Float32,

    /// <summary>
    /// 8-bit integer products: each weight matrix quantised per output channel once, when the inference session is
    /// created (a model is saved in single precision and quantised again when loaded), the activations per row as each
    /// product runs, sums exact in 32-bit integers (AVX-VNNI where the CPU has it). About twice as fast on CPUs with
    /// VNNI; embeddings keep a cosine of about 0.99 to the single-precision ones.
    /// </summary>
    Int8,

    /// <summary>
    /// bfloat16 products (8-bit mantissa, float32 range) on the TorchSharp backend only: each weight matrix converted
    /// once when the inference session is created, the activations at each product, sums in single precision
    /// (oneDNN on CPUs with AVX-512 BF16 or AMX, tensor cores on NVIDIA GPUs). The managed engine refuses it.
    /// </summary>
    BFloat16,
}
