using Microsoft.ML;

namespace MLNet.Transformers.Pipeline;

/// <summary>
/// Up to a batch of rows as columns: the input columns a <see cref="BatchMapper"/> depends on, read from the source,
/// and the output columns it fills. Spans cover the <see cref="Count"/> rows of the current batch.
/// </summary>
public sealed class RowBatch
{
    private readonly ColumnBuffer?[] _inputs;
    private readonly ColumnBuffer?[] _outputs;
    private readonly int _capacity;

    internal RowBatch(DataViewRow input, IEnumerable<DataViewSchema.Column> inputColumns,
        IReadOnlyList<DataViewSchema.DetachedColumn> outputColumns, bool[] activeOutputs, int capacity)
    {
        _capacity = capacity;
        _inputs = new ColumnBuffer?[input.Schema.Count];
        foreach (var column in inputColumns)
        {
            _inputs[column.Index] = ColumnBuffer.Create(column.Type, capacity);
            _inputs[column.Index]!.Bind(input, column);
        }
        _outputs = new ColumnBuffer?[outputColumns.Count];
        for (var i = 0; i < outputColumns.Count; i++)
            if (activeOutputs[i]) _outputs[i] = ColumnBuffer.Create(outputColumns[i].Type, capacity);
    }

    /// <summary>The number of rows in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>The values of input column <paramref name="inputColumn"/> for the batch's rows.</summary>
    public ReadOnlySpan<T> GetInput<T>(DataViewSchema.Column inputColumn) =>
        Typed<T>(InputBufferOf(inputColumn.Index), inputColumn.Name).AsSpan(0, Count);

    /// <summary>Whether output <paramref name="outputIndex"/> is read by anyone (skip computing it when not).</summary>
    public bool IsOutputActive(int outputIndex) => _outputs[outputIndex] is not null;

    /// <summary>The slots to fill with output <paramref name="outputIndex"/> for the batch's rows.</summary>
    public Span<T> GetOutput<T>(int outputIndex) =>
        Typed<T>(OutputBuffer(outputIndex), $"output {outputIndex}").AsSpan(0, Count);

    internal bool AnyOutputActive => _outputs.Any(o => o is not null);

    internal ColumnBuffer OutputBuffer(int index) =>
        _outputs[index] ?? throw new InvalidOperationException($"Output {index} is not active in this cursor.");

    /// <summary>Reads the next rows of <paramref name="input"/> (after <paramref name="beforeEachRow"/>); false when it had none.</summary>
    internal bool Fill(DataViewRowCursor input, Action<int> beforeEachRow)
    {
        Count = 0;
        while (Count < _capacity && input.MoveNext())
        {
            beforeEachRow(Count);
            CaptureRow();
        }
        return Count > 0;
    }

    /// <summary>Makes the batch the one row the input shows now.</summary>
    internal void FillOne()
    {
        Count = 0;
        CaptureRow();
    }

    private void CaptureRow()
    {
        foreach (var buffer in _inputs) buffer?.Capture(Count);
        Count++;
    }

    internal ColumnBuffer InputBufferOf(int index) =>
        _inputs[index] ?? throw new InvalidOperationException($"Input column {index} is not read: list it in the mapper's dependencies.");

    private static T[] Typed<T>(ColumnBuffer buffer, string name) =>
        (buffer as ColumnBuffer<T>)?.Values ?? throw new InvalidOperationException($"Column {name} is not held as {typeof(T).Name}.");
}
