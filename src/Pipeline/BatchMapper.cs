using Microsoft.ML;

namespace MLNet.Transformers.Pipeline;

/// <summary>
/// A transformer bound to one input schema: the columns it adds, the input columns it reads, and how it computes its
/// outputs for many rows at once. ML.NET's cursors and prediction engines see rows one at a time; a mapper sees
/// batches of up to <see cref="BatchSize"/> rows, so a model runs on (B, ...) inputs.
/// </summary>
public abstract class BatchMapper
{
    /// <summary>A mapper from <paramref name="inputSchema"/> adding <paramref name="outputColumns"/>, <paramref name="batchSize"/> rows at a time.</summary>
    protected BatchMapper(DataViewSchema inputSchema, IReadOnlyList<DataViewSchema.DetachedColumn> outputColumns, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        InputSchema = inputSchema;
        OutputColumns = outputColumns;
        BatchSize = batchSize;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumns(outputColumns);
        OutputSchema = builder.ToSchema();
    }

    /// <summary>The schema the mapper reads.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The input columns followed by the added ones (an added column hides an input column of its name).</summary>
    public DataViewSchema OutputSchema { get; }

    /// <summary>The columns added.</summary>
    public IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns { get; }

    /// <summary>The most rows passed to one <see cref="MapBatch"/> call (the last batch may be smaller).</summary>
    public int BatchSize { get; }

    /// <summary>The input columns output <paramref name="outputIndex"/> is computed from.</summary>
    public abstract IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex);

    /// <summary>
    /// Fills the active outputs of <paramref name="batch"/> for its <see cref="RowBatch.Count"/> rows. Called
    /// concurrently by cursors and prediction engines on different threads, each with its own batch: keep per-call
    /// state in locals or in the batch, not in fields. A vector output gets an array of its own per row.
    /// </summary>
    public abstract void MapBatch(RowBatch batch);

    /// <summary>Which outputs are active, given the output-schema columns asked for.</summary>
    internal bool[] ActiveOutputs(IEnumerable<DataViewSchema.Column> outputColumnsNeeded)
    {
        var active = new bool[OutputColumns.Count];
        foreach (var column in outputColumnsNeeded)
            if (column.Index >= InputSchema.Count) active[column.Index - InputSchema.Count] = true;
        return active;
    }

    /// <summary>The input columns needed for the asked-for output-schema columns: pass-through ones and dependencies of active outputs.</summary>
    internal DataViewSchema.Column[] InputsNeeded(IEnumerable<DataViewSchema.Column> outputColumnsNeeded)
    {
        var needed = new HashSet<int>();
        foreach (var column in outputColumnsNeeded)
        {
            if (column.Index < InputSchema.Count) needed.Add(column.Index);
            else foreach (var dependency in GetDependencies(column.Index - InputSchema.Count)) needed.Add(dependency.Index);
        }
        return [.. needed.Order().Select(i => InputSchema[i])];
    }

    /// <summary>The input columns the outputs read (not the pass-through ones).</summary>
    internal DataViewSchema.Column[] Dependencies(bool[] activeOutputs) =>
        [.. Enumerable.Range(0, activeOutputs.Length).Where(i => activeOutputs[i]).SelectMany(GetDependencies).DistinctBy(c => c.Index)];
}
