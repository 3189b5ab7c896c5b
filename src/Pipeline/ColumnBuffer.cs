using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Transformers.Pipeline;

/// <summary>
/// Values of one column for a batch of rows, held in slots. A value read from a source is copied (a vector gets an
/// array of its own), because ML.NET's getters may reuse their buffers for the next row.
/// </summary>
internal abstract class ColumnBuffer
{
    /// <summary>A buffer of <paramref name="capacity"/> slots for values of <paramref name="type"/>.</summary>
    public static ColumnBuffer Create(DataViewType type, int capacity)
    {
        var bufferType = type is VectorDataViewType vector
            ? typeof(VectorColumnBuffer<>).MakeGenericType(vector.ItemType.RawType)
            : typeof(ColumnBuffer<>).MakeGenericType(type.RawType);
        return (ColumnBuffer)Activator.CreateInstance(bufferType, capacity)!;
    }

    /// <summary>Binds the buffer to the source row it captures from.</summary>
    public abstract void Bind(DataViewRow source, DataViewSchema.Column column);

    /// <summary>Reads the source row's current value into <paramref name="slot"/>.</summary>
    public abstract void Capture(int slot);

    /// <summary>A getter returning the value in the slot <paramref name="currentSlot"/> names when called.</summary>
    public abstract Delegate GetGetter(Func<int> currentSlot);
}

/// <summary>A <see cref="ColumnBuffer"/> of scalar <typeparamref name="T"/> values.</summary>
internal class ColumnBuffer<T>(int capacity) : ColumnBuffer
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

/// <summary>A buffer of vectors: each captured value is copied into an array of its slot's own.</summary>
internal sealed class VectorColumnBuffer<T>(int capacity) : ColumnBuffer<VBuffer<T>>(capacity)
{
    private ValueGetter<VBuffer<T>>? _source;
    private VBuffer<T> _scratch;

    public override void Bind(DataViewRow source, DataViewSchema.Column column) => _source = source.GetGetter<VBuffer<T>>(column);

    public override void Capture(int slot)
    {
        _source!(ref _scratch);
        _scratch.CopyTo(ref Values[slot]);
    }

    public override Delegate GetGetter(Func<int> currentSlot)
    {
        ValueGetter<VBuffer<T>> getter = (ref VBuffer<T> value) => Values[currentSlot()].CopyTo(ref value);
        return getter;
    }
}
