namespace MLNet.Transformers.Tensors;

/// <summary>Checks the sizes, strides and buffer lengths of a product before any pointer is taken.</summary>
internal static class GemmArguments
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first operand whose shape or buffer is wrong.</summary>
    public static void Validate(
        int aLength, int bLength, int cLength, GemmBatch batch, int m, int n, int k, bool transposeA, bool transposeB)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (batch.Outer < 0 || batch.Inner < 0)
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batch sizes must not be negative, got {batch.Outer} × {batch.Inner}.");
        CheckOperand("a", aLength, batch, batch.A, transposeA ? k : m, transposeA ? m : k);
        CheckOperand("b", bLength, batch, batch.B, transposeB ? n : k, transposeB ? k : n);
        CheckOperand("c", cLength, batch, batch.C, m, n);
    }

    private static void CheckOperand(string name, int length, GemmBatch batch, MatrixLayout layout, int rows, int columns)
    {
        if (layout.RowStride < columns || layout.RowStride < 0)
            throw new ArgumentException(
                $"Row stride {layout.RowStride} of {name} is shorter than its rows of {columns} floats.", name);
        if (layout.OuterStride < 0 || layout.InnerStride < 0)
            throw new ArgumentException($"Batch strides of {name} must not be negative.", name);
        if (rows == 0 || columns == 0 || batch.Count == 0)
            return;

        var last = layout.Offset(batch.Outer - 1, batch.Inner - 1);
        var needed = last + (long)(rows - 1) * layout.RowStride + columns;
        if (length < needed)
            throw new ArgumentException(
                $"Buffer {name} holds {length} floats but a {rows}×{columns} matrix with row stride {layout.RowStride}" +
                (batch.Count > 1 ? $" in a batch of {batch.Outer}×{batch.Inner}" : "") + $" needs {needed}.", name);
    }
}
