namespace MLNet.Transformers.Tensors;

/// <summary>
/// A contiguous row-major float32 tensor: a shape over a range of a <c>float[]</c>. Several tensors may view the
/// same storage (a batch slice, a parameter inside a packed buffer); none of them copies.
/// </summary>
public sealed class Tensor
{
    private readonly int[] _shape;

    /// <summary>Allocates a zero-filled tensor of the given shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public Tensor(params int[] shape)
        : this(new float[CheckedLength(shape)], 0, shape)
    {
    }

    private Tensor(float[] storage, int offset, int[] shape)
    {
        Storage = storage;
        Offset = offset;
        _shape = shape;
        Length = CheckedLength(shape);
    }

    /// <summary>The array that holds the elements (shared with every view of it).</summary>
    public float[] Storage { get; }

    /// <summary>Index in <see cref="Storage"/> of the first element.</summary>
    public int Offset { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements (the product of the dimensions).</summary>
    public int Length { get; }

    /// <summary>The elements, row-major.</summary>
    public Span<float> Span => Storage.AsSpan(Offset, Length);

    /// <summary>The elements as memory (for code that cannot hold a span).</summary>
    public Memory<float> Memory => Storage.AsMemory(Offset, Length);

    /// <summary>Size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Size(int axis) => _shape[axis < 0 ? _shape.Length + axis : axis];

    /// <summary>Wraps part of an existing array as a tensor of the given shape (no copy).</summary>
    /// <exception cref="ArgumentException">The range does not fit in <paramref name="storage"/>.</exception>
    public static Tensor Wrap(float[] storage, int offset, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var length = CheckedLength(shape);
        if (offset < 0 || offset + length > storage.Length)
            throw new ArgumentException(
                $"A tensor of shape {Describe(shape)} at offset {offset} does not fit in {storage.Length} elements.");
        return new Tensor(storage, offset, (int[])shape.Clone());
    }

    /// <summary>A view of the same elements under another shape with the same number of elements.</summary>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public Tensor Reshape(params int[] shape)
    {
        if (CheckedLength(shape) != Length)
            throw new ArgumentException($"Cannot view shape {Describe(_shape)} as {Describe(shape)}.");
        return new Tensor(Storage, Offset, (int[])shape.Clone());
    }

    /// <summary>The sub-tensor at <paramref name="index"/> along the first dimension (a view, rank one less).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the first dimension.</exception>
    public Tensor Slice(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _shape[0]);
        var inner = _shape[1..];
        var rowLength = CheckedLength(inner);
        return new Tensor(Storage, Offset + index * rowLength, inner);
    }

    /// <summary>Fills every element with <paramref name="value"/>.</summary>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>A human-readable shape such as <c>(2, 3, 4)</c>.</summary>
    public override string ToString() => Describe(_shape);

    /// <summary>Throws when this tensor's shape is not <paramref name="expected"/>, naming <paramref name="what"/>.</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public void RequireShape(string what, params int[] expected)
    {
        if (!Shape.SequenceEqual(expected))
            throw new ArgumentException($"{what} has shape {this}, expected {Describe(expected)}.");
    }

    private static string Describe(ReadOnlySpan<int> shape) => $"({string.Join(", ", shape.ToArray())})";

    private static int CheckedLength(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long length = 1;
        foreach (var dim in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(shape));
            length *= dim;
        }
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.MaxLength, nameof(shape));
        return (int)length;
    }
}
