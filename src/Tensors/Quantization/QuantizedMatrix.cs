using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// A weight stored (out, in) as torch stores it, quantised to 8 bits per output channel (each row its own scale, see
/// <see cref="Int8Quantization"/>) and packed into the panels an <see cref="Int8Gemm"/> kernel reads: the right
/// operand Wᵀ (in × out) of many 8-bit products. A snapshot: later changes to the source are not seen. Packed for one
/// <see cref="Int8Kernel"/> and run on it. Immutable, so products on several threads may share it.
/// </summary>
public sealed unsafe class QuantizedMatrix
{
    private readonly PackingBuffer _storage = new();
    private readonly int[] _sums; // per column (padded to whole panels): Σₖ q
    private readonly float[] _scales; // per column (padded with 0)
    private readonly Int8Routines _routines;

    private QuantizedMatrix(Int8Kernel kernel, int inFeatures, int outFeatures)
    {
        (Kernel, Depth, Columns) = (kernel, inFeatures, outFeatures);
        _routines = Int8Routines.For(kernel);
        var padded = (outFeatures + _routines.Columns - 1) / _routines.Columns * _routines.Columns;
        _sums = GC.AllocateArray<int>(padded, pinned: true);
        _scales = GC.AllocateArray<float>(padded, pinned: true);
    }

    /// <summary>Length k of the shared dimension: the input features, the columns of each product's A.</summary>
    public int Depth { get; }

    /// <summary>Columns n of each product's C: the output features.</summary>
    public int Columns { get; }

    /// <summary>The kernel the panels were packed for and products run on (never <see cref="Int8Kernel.Auto"/>).</summary>
    public Int8Kernel Kernel { get; }

    /// <summary>The scale of each output channel: weight row j ≈ its quantised values times <c>Scales[j]</c>.</summary>
    public ReadOnlySpan<float> Scales => _scales.AsSpan(0, Columns);

    /// <summary>
    /// Quantises a weight stored (outFeatures, inFeatures) per output channel and packs it for
    /// <paramref name="kernel"/> (by default the fastest this CPU runs).
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative or the buffer's length is not outFeatures × inFeatures.</exception>
    /// <exception cref="NotSupportedException">This CPU does not run <paramref name="kernel"/>.</exception>
    public static QuantizedMatrix Quantize(ReadOnlySpan<float> weight, int inFeatures, int outFeatures, Int8Kernel kernel = Int8Kernel.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegative(outFeatures);
        Check.Length(weight, outFeatures * inFeatures, nameof(weight));
        if (!Int8Routines.IsSupported(kernel))
            throw new NotSupportedException($"The {kernel} int8 kernel needs instructions this CPU does not have.");
        var matrix = new QuantizedMatrix(Int8Routines.Resolve(kernel), inFeatures, outFeatures);
        var nr = matrix._routines.Columns;
        var bytes = matrix._routines.PackedLength(outFeatures, inFeatures);
        var packed = (sbyte*)matrix._storage.Get(bytes / sizeof(float) + 1);
        new Span<byte>(packed, checked((int)bytes)).Clear();
        var row = new sbyte[inFeatures];
        for (var j = 0; j < outFeatures; j++)
        {
            matrix._scales[j] = Int8Quantization.Quantize(weight.Slice(j * inFeatures, inFeatures), row);
            var sum = 0;
            foreach (var q in row) sum += q;
            matrix._sums[j] = sum;
            Int8Packing.PackColumn(row, j, nr, packed);
        }
        return matrix;
    }

    /// <summary>Writes the dequantised weight (outFeatures, inFeatures): each quantised value times its channel's scale.</summary>
    /// <exception cref="ArgumentException">The buffer's length is not outFeatures × inFeatures.</exception>
    public void Dequantize(Span<float> weight)
    {
        Check.Length(weight, Columns * Depth, nameof(weight));
        var packed = (sbyte*)_storage.Get(0);
        for (var j = 0; j < Columns; j++)
        for (var p = 0; p < Depth; p++)
            weight[j * Depth + p] = Int8Packing.Unpack(packed, j, p, Depth, _routines.Columns) * _scales[j];
    }

    /// <summary>The routines of the kernel the panels were packed for.</summary>
    internal Int8Routines Routines => _routines;

    /// <summary>Pointers to the packed panels and the per-column terms (the arrays are pinned).</summary>
    internal Panels Data => new((sbyte*)_storage.Get(0), (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_sums)),
        (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_scales)));

    /// <summary>The packed panels of B and, per column (padded to whole panels), the sums of the quantised values and the scales.</summary>
    internal readonly struct Panels(sbyte* data, int* sums, float* scales)
    {
        /// <summary>The first panel.</summary>
        public sbyte* Data => data;

        /// <summary><c>Σₖ q</c> per column.</summary>
        public int* Sums => sums;

        /// <summary>The scale per column.</summary>
        public float* Scales => scales;
    }
}
