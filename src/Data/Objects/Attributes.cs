namespace MLNet.Transformers.Data;

/// <summary>Which field(s) of a text file a member is loaded from (0-based); several fields make a vector.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class LoadColumnAttribute : Attribute
{
    /// <summary>Loads the member from field <paramref name="fieldIndex"/>.</summary>
    public LoadColumnAttribute(int fieldIndex) : this(fieldIndex, fieldIndex) { }

    /// <summary>Loads a vector member from fields <paramref name="start"/> to <paramref name="end"/>, both included.</summary>
    public LoadColumnAttribute(int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        Start = start;
        End = end;
    }

    /// <summary>The first field.</summary>
    public int Start { get; }

    /// <summary>The last field (equal to <see cref="Start"/> for a single field).</summary>
    public int End { get; }
}

/// <summary>The column name of a member, when it differs from the member's name.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ColumnNameAttribute(string name) : Attribute
{
    /// <summary>The column name.</summary>
    public string Name { get; } = name;
}

/// <summary>Marks a float array member as a vector column of a fixed size (or, without a size, a variable one).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class VectorTypeAttribute : Attribute
{
    /// <summary>A variable-size vector.</summary>
    public VectorTypeAttribute() { }

    /// <summary>A vector of <paramref name="size"/> items.</summary>
    public VectorTypeAttribute(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
    }

    /// <summary>The number of items, or 0 for a variable size.</summary>
    public int Size { get; }
}

/// <summary>Marks a <see cref="uint"/> member as a key column with <see cref="Count"/> categories.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class KeyTypeAttribute(ulong count) : Attribute
{
    /// <summary>The number of categories.</summary>
    public ulong Count { get; } = count;
}

/// <summary>Keeps a member out of the schema.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class NoColumnAttribute : Attribute;
