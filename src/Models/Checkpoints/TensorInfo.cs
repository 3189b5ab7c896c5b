namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>What a checkpoint says about one stored tensor: its element type and shape.</summary>
/// <param name="DType">The stored element type.</param>
/// <param name="Shape">The dimensions, outermost first; empty for a scalar.</param>
public sealed record TensorInfo(TensorDType DType, IReadOnlyList<long> Shape)
{
    /// <summary>Number of elements: the product of the dimensions (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, static (product, dim) => checked(product * dim));

    /// <summary>The shape as written in messages, e.g. <c>[384, 1536]</c>.</summary>
    public string ShapeText => ShapeToText(Shape);

    /// <summary>Equal when the element types and every dimension are equal.</summary>
    public bool Equals(TensorInfo? other) => other is not null && DType == other.DType && Shape.SequenceEqual(other.Shape);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(DType, Shape.Count, Shape.Count > 0 ? Shape[0] : 0);

    /// <summary>Formats a shape as <c>[d0, d1, ...]</c>.</summary>
    public static string ShapeToText(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
