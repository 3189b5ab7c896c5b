namespace MLNet.Transformers.Tensors;

/// <summary>
/// A register-blocked micro-kernel: <c>C (Rows×Columns) (+)= A-sliver · B-sliver</c> over <c>depth</c> steps, where the
/// A sliver holds <c>Rows</c> floats per step and the B sliver <c>Columns</c> floats per step (both packed by
/// <see cref="GemmPacking"/>). Each element starts from zero and takes one fused multiply-add per step, in order.
/// </summary>
internal unsafe interface IMicroKernel
{
    /// <summary>Rows of C one call computes (MR).</summary>
    static abstract int Rows { get; }

    /// <summary>Columns of C one call computes (NR).</summary>
    static abstract int Columns { get; }

    /// <summary>
    /// Computes one full tile: writes <c>C = A·B</c>, or <c>C = C + A·B</c> when <paramref name="accumulate"/>, or
    /// <c>C = bias + A·B</c> (the bias broadcast down the rows) when <paramref name="bias"/> is not null.
    /// </summary>
    /// <param name="depth">Steps of the packed slivers (KC or less).</param>
    /// <param name="a">Packed A sliver, (depth, Rows).</param>
    /// <param name="b">Packed B sliver, (depth, Columns).</param>
    /// <param name="c">Top-left element of the tile in C.</param>
    /// <param name="ldc">Distance in floats between consecutive rows of C.</param>
    /// <param name="accumulate">Add to C rather than overwrite it.</param>
    /// <param name="bias">Null, or the tile's Columns bias values (only when not <paramref name="accumulate"/>).</param>
    static abstract void Run(int depth, float* a, float* b, float* c, nint ldc, bool accumulate, float* bias);

    /// <summary>
    /// Computes one row of C over 4 panels of B (<paramref name="fourPanels"/>) or 1, whole depth, with the row
    /// kernel (<see cref="RowKernel{TSimd, TVector, TPanels}"/>): the bits <see cref="Run"/> gives the row.
    /// </summary>
    /// <param name="depth">k, the length of the row of A.</param>
    /// <param name="a">The row of A.</param>
    /// <param name="aStep">Distance between consecutive elements of the row of A.</param>
    /// <param name="packedB">The column block's packed B.</param>
    /// <param name="paddedWidth">The block's width rounded up to whole panels.</param>
    /// <param name="column">The first column (a multiple of <see cref="Columns"/>) within the block.</param>
    /// <param name="fourPanels">Four panels side by side rather than one.</param>
    /// <param name="c">Element <paramref name="column"/> of the row of C.</param>
    /// <param name="accumulate">Add to C rather than overwrite it.</param>
    /// <param name="bias">Null, or the bias of these columns (only when not <paramref name="accumulate"/>).</param>
    static abstract void RunRow(
        int depth, float* a, nint aStep, float* packedB, nint paddedWidth, nint column, bool fourPanels, float* c, bool accumulate, float* bias);
}
