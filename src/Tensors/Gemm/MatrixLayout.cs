namespace MLNet.Transformers.Tensors;

/// <summary>
/// Where the matrices of a batch lie in one buffer. Matrix <c>(outer, inner)</c> of an outer × inner batch starts at
/// <c>outer·OuterStride + inner·InnerStride</c>, and its consecutive rows are <see cref="RowStride"/> floats apart.
/// </summary>
/// <remarks>
/// Attention heads read in place from a (B, T, H·D) activation: row stride H·D, outer stride T·H·D (the sequence),
/// inner stride D (the head).
/// </remarks>
/// <param name="RowStride">Distance in floats between consecutive rows of one matrix (its leading dimension).</param>
/// <param name="OuterStride">Distance in floats between matrices consecutive along the outer batch axis.</param>
/// <param name="InnerStride">Distance in floats between matrices consecutive along the inner batch axis.</param>
public readonly record struct MatrixLayout(int RowStride, long OuterStride, long InnerStride = 0)
{
    /// <summary>Back-to-back dense matrices of <paramref name="rows"/> × <paramref name="columns"/>, one batch axis.</summary>
    public static MatrixLayout Contiguous(int rows, int columns) => new(columns, (long)rows * columns);

    /// <summary>Offset of matrix <c>(outer, inner)</c>.</summary>
    internal long Offset(int outer, int inner) => outer * OuterStride + inner * InnerStride;
}
