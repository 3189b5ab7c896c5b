namespace MLNet.Transformers.Tensors;

/// <summary>
/// The register-blocked micro-kernels of <see cref="Int8Gemm"/>. Every kernel computes each 32-bit integer dot
/// product exactly and dequantises it with the same float operations, so all of them give bit-identical results; they
/// differ only in speed.
/// </summary>
public enum Int8Kernel
{
    /// <summary>The fastest kernel this CPU supports (the default).</summary>
    Auto,

    /// <summary>
    /// 6×16 tiles of 256-bit vectors with AVX-VNNI <c>vpdpbusd</c>: four 8-bit multiply-adds into each 32-bit lane per
    /// instruction.
    /// </summary>
    AvxVnni,

    /// <summary>
    /// 6×8 tiles of 256-bit vectors with AVX2 only: the 8-bit operands widened to 16 bits and multiplied pairwise into
    /// 32-bit sums (<c>vpmaddwd</c>), exact where the 8-bit <c>vpmaddubsw</c> would saturate. The fallback for x86
    /// CPUs without VNNI.
    /// </summary>
    Avx2,

    /// <summary>4×4 tiles of scalar integers: the portable fallback.</summary>
    Scalar,
}
