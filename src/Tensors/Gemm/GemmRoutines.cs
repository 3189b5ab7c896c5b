using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace MLNet.Transformers.Tensors;

/// <summary>The driver entry points compiled for one micro-kernel, and which kernels this CPU runs.</summary>
internal readonly unsafe struct GemmRoutines
{
    private GemmRoutines(
        delegate*<GemmProblem, int, void> multiply, delegate*<GemmProblem, GemmBatch, int, void> multiplyBatch,
        delegate*<GemmProblem, float*, int, void> multiplyPacked, delegate*<GemmProblem, float*, void> pack,
        delegate*<int, int, long> packedLength)
    {
        Multiply = multiply;
        MultiplyBatch = multiplyBatch;
        MultiplyPacked = multiplyPacked;
        Pack = pack;
        PackedLength = packedLength;
    }

    /// <summary><see cref="GemmDriver{TKernel}.Multiply"/> for this kernel.</summary>
    public delegate*<GemmProblem, int, void> Multiply { get; }

    /// <summary><see cref="GemmDriver{TKernel}.MultiplyBatch"/> for this kernel.</summary>
    public delegate*<GemmProblem, GemmBatch, int, void> MultiplyBatch { get; }

    /// <summary><see cref="GemmDriver{TKernel}.MultiplyPacked"/> for this kernel.</summary>
    public delegate*<GemmProblem, float*, int, void> MultiplyPacked { get; }

    /// <summary><see cref="GemmDriver{TKernel}.Pack"/> for this kernel.</summary>
    public delegate*<GemmProblem, float*, void> Pack { get; }

    /// <summary><see cref="GemmDriver{TKernel}.PackedLength"/> for this kernel.</summary>
    public delegate*<int, int, long> PackedLength { get; }

    /// <summary>The fastest kernel this CPU supports.</summary>
    public static GemmKernel Best { get; } =
        new[] { GemmKernel.Vector512, GemmKernel.Vector256, GemmKernel.Vector128 }.FirstOrDefault(IsSupported, GemmKernel.Scalar);

    /// <summary>Whether <paramref name="kernel"/> runs in hardware on this CPU (<see cref="GemmKernel.Auto"/> always does).</summary>
    public static bool IsSupported(GemmKernel kernel) => kernel switch
    {
        GemmKernel.Auto or GemmKernel.Scalar => true,
        GemmKernel.Vector512 => Vector512.IsHardwareAccelerated,
        GemmKernel.Vector256 => Vector256.IsHardwareAccelerated && Fma.IsSupported,
        GemmKernel.Vector128 => Vector128.IsHardwareAccelerated && (Fma.IsSupported || AdvSimd.IsSupported),
        _ => false,
    };

    /// <summary><paramref name="kernel"/>, with <see cref="GemmKernel.Auto"/> resolved to <see cref="Best"/>.</summary>
    public static GemmKernel Resolve(GemmKernel kernel) => kernel == GemmKernel.Auto ? Best : kernel;

    /// <summary>The routines of <paramref name="kernel"/> (<see cref="GemmKernel.Auto"/> resolves to <see cref="Best"/>).</summary>
    public static GemmRoutines For(GemmKernel kernel) => Resolve(kernel) switch
    {
        GemmKernel.Vector512 => Of<MicroKernel<Simd512, Vector512<float>, TallTile>>(),
        GemmKernel.Vector256 => Of<MicroKernel<Simd256, Vector256<float>, ShortTile>>(),
        GemmKernel.Vector128 => Of<MicroKernel<Simd128, Vector128<float>, ShortTile>>(),
        _ => Of<MicroKernel<SimdScalar, float, ShortTile>>(),
    };

    private static GemmRoutines Of<TKernel>()
        where TKernel : struct, IMicroKernel =>
        new(&GemmDriver<TKernel>.Multiply, &GemmDriver<TKernel>.MultiplyBatch, &GemmDriver<TKernel>.MultiplyPacked,
            &GemmDriver<TKernel>.Pack, &GemmDriver<TKernel>.PackedLength);
}
