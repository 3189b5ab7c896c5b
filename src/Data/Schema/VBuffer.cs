namespace MLNet.Transformers.Data;

/// <summary>
/// A vector value: <see cref="Length"/> items stored densely. A <see cref="VBuffer{T}"/> handed out by a getter is
/// a snapshot: producers never write into its array afterwards, so consumers may keep it without copying.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public readonly struct VBuffer<T>
{
    private readonly T[]? _values;

    /// <summary>Wraps the first <paramref name="length"/> items of <paramref name="values"/> (taking ownership).</summary>
    public VBuffer(int length, T[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, values.Length);
        Length = length;
        _values = values;
    }

    /// <summary>The number of items.</summary>
    public int Length { get; }

    /// <summary>Always true: this implementation stores every item.</summary>
    public bool IsDense => true;

    /// <summary>The items.</summary>
    public ReadOnlySpan<T> GetValues() => _values.AsSpan(0, Length);

    /// <summary>The items, enumerated.</summary>
    public IEnumerable<T> DenseValues()
    {
        for (int i = 0; i < Length; i++) yield return _values![i];
    }

    /// <summary>The item at <paramref name="index"/>.</summary>
    public T GetItemOrDefault(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
        return _values![index];
    }
}
