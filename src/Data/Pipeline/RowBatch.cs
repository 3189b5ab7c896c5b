namespace MLNet.Transformers.Data;

/// <summary>
/// Up to a batch of rows as columns: the active input columns read from the source, and the output columns a
/// <see cref="BatchRowMapper"/> fills. Spans cover the <see cref="Count"/> rows of the current batch.
/// </summary>
public sealed class RowBatch
{
    private readonly ColumnBuffer?[] _inputs;
    private readonly ColumnBuffer?[] _outputs;
    private readonly int _capacity;

    internal RowBatch(DataViewRowCursor input, IReadOnlyList<DataViewSchema.DetachedColumn> outputColumns, bool[] activeOutputs, int capacity)
    {
        _capacity = capacity;
        _inputs = new ColumnBuffer?[input.Schema.Count];
        foreach (var column in input.Schema)
        {
            if (!input.IsColumnActive(column)) continue;
            _inputs[column.Index] = ColumnBuffer.Create(column.Type, capacity);
            _inputs[column.Index]!.Bind(input, column);
        }
        _outputs = new ColumnBuffer?[outputColumns.Count];
        for (int i = 0; i < outputColumns.Count; i++)
            if (activeOutputs[i]) _outputs[i] = ColumnBuffer.Create(outputColumns[i].Type, capacity);
    }

    /// <summary>The number of rows in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>The values of input column <paramref name="inputColumn"/> for the batch's rows.</summary>
    public ReadOnlySpan<T> GetInput<T>(DataViewSchema.Column inputColumn) =>
        Typed<T>(InputBuffer(inputColumn.Index), inputColumn.Name).AsSpan(0, Count);

    /// <summary>Whether output <paramref name="outputIndex"/> is read by anyone (skip computing it when not).</summary>
    public bool IsOutputActive(int outputIndex) => _outputs[outputIndex] is not null;

    /// <summary>Whether any output is read (when none is, the mapper is not called at all).</summary>
    public bool AnyOutputActive => _outputs.Any(o => o is not null);

    /// <summary>The slots to fill with output <paramref name="outputIndex"/> for the batch's rows.</summary>
    public Span<T> GetOutput<T>(int outputIndex) =>
        Typed<T>(OutputBuffer(outputIndex), $"output {outputIndex}").AsSpan(0, Count);

    internal ColumnBuffer InputBuffer(int index) =>
        _inputs[index] ?? throw new InvalidOperationException($"Input column {index} is not read by this cursor: list it in the mapper's dependencies.");

    internal ColumnBuffer OutputBuffer(int index) =>
        _outputs[index] ?? throw new InvalidOperationException($"Output {index} is not active in this cursor.");

    /// <summary>Reads the next rows of <paramref name="input"/>; false when it had none.</summary>
    internal bool Fill(DataViewRowCursor input)
    {
        Count = 0;
        while (Count < _capacity && input.MoveNext())
        {
            foreach (var buffer in _inputs) buffer?.Capture(Count);
            Count++;
        }
        return Count > 0;
    }

    private static T[] Typed<T>(ColumnBuffer buffer, string name) =>
        (buffer as ColumnBuffer<T>)?.Values ?? throw new InvalidOperationException($"Column {name} is not held as {typeof(T).Name}.");
}
