namespace MLNet.Transformers.Tensors;

/// <summary>
/// The register-blocked micro-kernels <see cref="Gemm"/> can run on. Every kernel accumulates each element of C with
/// the same sequence of fused multiply-adds, so all of them give bit-identical results; they differ only in speed.
/// </summary>
public enum GemmKernel
{
    /// <summary>The fastest kernel this CPU supports (the default).</summary>
    Auto,

    /// <summary>12×32 tiles of 512-bit vectors (AVX-512).</summary>
    Vector512,

    /// <summary>6×16 tiles of 256-bit vectors with fused multiply-add (AVX2 + FMA).</summary>
    Vector256,

    /// <summary>6×8 tiles of 128-bit vectors (SSE, AdvSimd).</summary>
    Vector128,

    /// <summary>4×4 tiles of scalars: the portable fallback.</summary>
    Scalar,
}
