using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>The 8-bit driver compiled for one micro-kernel, its tile and which kernels this CPU runs.</summary>
internal readonly unsafe struct Int8Routines
{
    private Int8Routines(delegate*<Int8Problem, int, void> multiply, delegate*<int, int, long> packedLength, int rows, int columns)
    {
        Multiply = multiply;
        PackedLength = packedLength;
        Rows = rows;
        Columns = columns;
    }

    /// <summary><see cref="Int8Driver{TKernel}.Multiply"/> for this kernel.</summary>
    public delegate*<Int8Problem, int, void> Multiply { get; }

    /// <summary><see cref="Int8Driver{TKernel}.PackedLength"/> for this kernel.</summary>
    public delegate*<int, int, long> PackedLength { get; }

    /// <summary>Rows of the kernel's tile (MR).</summary>
    public int Rows { get; }

    /// <summary>Columns of the kernel's tile (NR): the width of B's packed panels.</summary>
    public int Columns { get; }

    /// <summary>The fastest kernel this CPU supports.</summary>
    public static Int8Kernel Best { get; } =
        new[] { Int8Kernel.AvxVnni, Int8Kernel.Avx2 }.FirstOrDefault(IsSupported, Int8Kernel.Scalar);

    /// <summary>Whether <paramref name="kernel"/> runs in hardware on this CPU (<see cref="Int8Kernel.Auto"/> always does).</summary>
    public static bool IsSupported(Int8Kernel kernel) => kernel switch
    {
        Int8Kernel.Auto or Int8Kernel.Scalar => true,
        Int8Kernel.AvxVnni => VnniStep.IsSupported,
        Int8Kernel.Avx2 => WideningStep.IsSupported,
        _ => false,
    };

    /// <summary><paramref name="kernel"/>, with <see cref="Int8Kernel.Auto"/> resolved to <see cref="Best"/>.</summary>
    public static Int8Kernel Resolve(Int8Kernel kernel) => kernel == Int8Kernel.Auto ? Best : kernel;

    /// <summary>The routines of <paramref name="kernel"/> (<see cref="Int8Kernel.Auto"/> resolves to <see cref="Best"/>).</summary>
    public static Int8Routines For(Int8Kernel kernel) => Resolve(kernel) switch
    {
        // 6 rows (12 accumulators): .NET 10 gives vpdpbusd's accumulator only ymm0-15, and 12 rows spill.
        Int8Kernel.AvxVnni => Of<Int8MicroKernel<VnniStep, Vector256<sbyte>, ShortTile>>(),
        Int8Kernel.Avx2 => Of<Int8MicroKernel<WideningStep, Vector256<short>, ShortTile>>(),
        _ => Of<ScalarInt8MicroKernel>(),
    };

    private static Int8Routines Of<TKernel>()
        where TKernel : struct, IInt8MicroKernel =>
        new(&Int8Driver<TKernel>.Multiply, &Int8Driver<TKernel>.PackedLength, TKernel.Rows, TKernel.Columns);
}
