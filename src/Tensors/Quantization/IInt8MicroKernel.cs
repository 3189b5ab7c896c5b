namespace MLNet.Transformers.Tensors;

/// <summary>
/// An 8-bit register-blocked micro-kernel: one tile <c>C (Rows×Columns)</c> of
/// <c>(Σₖ (qA − z) · qB) · rowScale · columnScale + bias</c>, the sums <c>Σₖ qA · qB</c> exact in 32-bit integers over
/// slivers packed by <see cref="Int8Packing"/>, then dequantised:
/// <c>((float)(sum − z · Σₖ qB) · (rowScale · columnScale)) + bias</c>, one rounding per float operation, the same in
/// every kernel.
/// </summary>
internal unsafe interface IInt8MicroKernel
{
    /// <summary>Rows of C one call computes (MR).</summary>
    static abstract int Rows { get; }

    /// <summary>Columns of C one call computes (NR).</summary>
    static abstract int Columns { get; }

    /// <summary>Whether this CPU runs the kernel in hardware.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Computes and stores one full tile.</summary>
    /// <param name="groups">Groups of four depth steps in the slivers.</param>
    /// <param name="a">Packed A sliver: per group, Rows × 4 unsigned bytes (activations with their zero points).</param>
    /// <param name="b">Packed B sliver: per group, Columns × 4 signed bytes.</param>
    /// <param name="tile">The tile's dequantisation terms.</param>
    /// <param name="c">Top-left element of the tile in C.</param>
    /// <param name="ldc">Distance in floats between consecutive rows of C.</param>
    static abstract void Run(int groups, byte* a, sbyte* b, Int8Tile tile, float* c, nint ldc);
}

/// <summary>
/// What turns one tile's integer sums into floats: per column the weight sum <c>Σₖ qB</c> (times the row's zero point,
/// subtracted from each sum), the weight scale and the bias (null for none); per row the activation scale and zero point.
/// </summary>
internal readonly unsafe struct Int8Tile(int* columnSums, float* columnScales, float* rowScales, int* zeroPoints, float* bias)
{
    /// <summary>Columns weight sums.</summary>
    public int* ColumnSums => columnSums;

    /// <summary>Columns weight scales.</summary>
    public float* ColumnScales => columnScales;

    /// <summary>Rows activation scales.</summary>
    public float* RowScales => rowScales;

    /// <summary>Rows activation zero points.</summary>
    public int* ZeroPoints => zeroPoints;

    /// <summary>Null, or Columns values added to each row.</summary>
    public float* Bias => bias;
}
