namespace MLNet.Transformers.Data;

/// <summary>
/// The type of a data view column. Each type has one in-memory representation (<see cref="RawType"/>) that getters
/// hand out: text is <see cref="ReadOnlyMemory{T}"/> of char, numbers are <see cref="float"/> / <see cref="int"/>,
/// keys are 1-based <see cref="uint"/> (0 means missing), vectors are <see cref="VBuffer{T}"/>.
/// </summary>
public abstract class DataViewType : IEquatable<DataViewType>
{
    /// <summary>Creates a type whose values are held as <paramref name="rawType"/>.</summary>
    protected DataViewType(Type rawType) => RawType = rawType;

    /// <summary>The .NET type a getter for a column of this type produces.</summary>
    public Type RawType { get; }

    /// <inheritdoc />
    public abstract bool Equals(DataViewType? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DataViewType other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(RawType, ToString());

    /// <summary>The type's name as schemas print it and model files store it, such as <c>Vector&lt;Single, 384&gt;</c>.</summary>
    public abstract override string ToString();
}

/// <summary>A type whose values are single items (text, numbers, booleans, keys), as opposed to vectors.</summary>
public abstract class PrimitiveDataViewType : DataViewType
{
    /// <summary>Creates a primitive type held as <paramref name="rawType"/>.</summary>
    protected PrimitiveDataViewType(Type rawType) : base(rawType) { }
}

/// <summary>Text, held as <see cref="ReadOnlyMemory{T}"/> of char.</summary>
public sealed class TextDataViewType : PrimitiveDataViewType
{
    private TextDataViewType() : base(typeof(ReadOnlyMemory<char>)) { }

    /// <summary>The single instance of the text type.</summary>
    public static TextDataViewType Instance { get; } = new();

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) => other is TextDataViewType;

    /// <inheritdoc />
    public override string ToString() => "Text";
}

/// <summary>A boolean, held as <see cref="bool"/>.</summary>
public sealed class BooleanDataViewType : PrimitiveDataViewType
{
    private BooleanDataViewType() : base(typeof(bool)) { }

    /// <summary>The single instance of the boolean type.</summary>
    public static BooleanDataViewType Instance { get; } = new();

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) => other is BooleanDataViewType;

    /// <inheritdoc />
    public override string ToString() => "Boolean";
}

/// <summary>A number: <see cref="Single"/> (float) or <see cref="Int32"/> (int).</summary>
public sealed class NumberDataViewType : PrimitiveDataViewType
{
    private readonly string _name;

    private NumberDataViewType(Type rawType, string name) : base(rawType) => _name = name;

    /// <summary>32-bit floating point numbers.</summary>
    public static NumberDataViewType Single { get; } = new(typeof(float), "Single");

    /// <summary>32-bit signed integers.</summary>
    public static NumberDataViewType Int32 { get; } = new(typeof(int), "Int32");

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override string ToString() => _name;
}

/// <summary>
/// A key: a category index in <c>1..Count</c> held as <see cref="uint"/>, with 0 meaning missing. The names of the
/// categories travel as the column's <see cref="AnnotationUtils.Kinds.KeyValues"/> annotation.
/// </summary>
public sealed class KeyDataViewType : PrimitiveDataViewType
{
    /// <summary>Creates a key type with <paramref name="count"/> categories.</summary>
    public KeyDataViewType(ulong count) : base(typeof(uint))
    {
        if (count == 0 || count > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(count), count, "A key type needs between 1 and uint.MaxValue categories.");
        Count = count;
    }

    /// <summary>The number of categories; valid keys are 1..Count.</summary>
    public ulong Count { get; }

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) => other is KeyDataViewType key && key.Count == Count;

    /// <inheritdoc />
    public override string ToString() => $"Key<{Count}>";
}

/// <summary>A vector of <see cref="ItemType"/> values, of a fixed size or, when <see cref="Size"/> is 0, of any size.</summary>
public sealed class VectorDataViewType : DataViewType
{
    /// <summary>Creates a vector type; <paramref name="size"/> 0 means variable size.</summary>
    public VectorDataViewType(PrimitiveDataViewType itemType, int size = 0) : base(typeof(VBuffer<>).MakeGenericType(itemType.RawType))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ItemType = itemType;
        Size = size;
    }

    /// <summary>The type of each item.</summary>
    public PrimitiveDataViewType ItemType { get; }

    /// <summary>The fixed number of items, or 0 for a variable-size vector.</summary>
    public int Size { get; }

    /// <summary>Whether every value of this column has <see cref="Size"/> items.</summary>
    public bool IsKnownSize => Size > 0;

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) =>
        other is VectorDataViewType vector && vector.Size == Size && vector.ItemType.Equals(ItemType);

    /// <inheritdoc />
    public override string ToString() => IsKnownSize ? $"Vector<{ItemType}, {Size}>" : $"Vector<{ItemType}>";
}
