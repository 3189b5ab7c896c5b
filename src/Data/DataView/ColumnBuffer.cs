namespace MLNet.Transformers.Data;

/// <summary>
/// Values of one column for a bounded number of rows, held in slots: a batch read ahead of a batching mapper, or the
/// pool of a shuffle. Values are snapshots (see <see cref="VBuffer{T}"/>), so a slot keeps a value without copying.
/// </summary>
internal abstract class ColumnBuffer
{
    /// <summary>A buffer of <paramref name="capacity"/> slots for values of <paramref name="type"/>.</summary>
    public static ColumnBuffer Create(DataViewType type, int capacity) =>
        (ColumnBuffer)Activator.CreateInstance(typeof(ColumnBuffer<>).MakeGenericType(type.RawType), capacity)!;

    /// <summary>Binds the buffer to the source row it captures from.</summary>
    public abstract void Bind(DataViewRow source, DataViewSchema.Column column);

    /// <summary>Reads the source row's current value into <paramref name="slot"/>.</summary>
    public abstract void Capture(int slot);

    /// <summary>A getter returning the value in the slot <paramref name="currentSlot"/> names when called.</summary>
    public abstract Delegate GetGetter(Func<int> currentSlot);
}

/// <summary>A <see cref="ColumnBuffer"/> of <typeparamref name="T"/> values.</summary>
internal sealed class ColumnBuffer<T>(int capacity) : ColumnBuffer
{
    private ValueGetter<T>? _source;

    /// <summary>The slots.</summary>
    public T[] Values { get; } = new T[capacity];

    public override void Bind(DataViewRow source, DataViewSchema.Column column) => _source = source.GetGetter<T>(column);

    public override void Capture(int slot) => _source!(ref Values[slot]);

    public override Delegate GetGetter(Func<int> currentSlot)
    {
        ValueGetter<T> getter = (ref T value) => value = Values[currentSlot()];
        return getter;
    }
}
