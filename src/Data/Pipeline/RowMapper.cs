namespace MLNet.Transformers.Data;

/// <summary>
/// The work of a row-to-row transformer on one input schema: which columns it adds and how to compute them. Write a
/// <see cref="RowWiseMapper"/> when each row is computed on its own (cheap per row), or a <see cref="BatchRowMapper"/>
/// when rows are better computed many at a time (a neural model). Both are used through
/// <see cref="RowToRowTransformerBase"/>, which keeps the input columns and appends <see cref="OutputColumns"/>.
/// </summary>
public abstract class RowMapper
{
    private protected RowMapper(DataViewSchema inputSchema, IReadOnlyList<DataViewSchema.DetachedColumn> outputColumns)
    {
        InputSchema = inputSchema;
        OutputColumns = outputColumns;
    }

    /// <summary>The schema of the rows this mapper reads.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The columns this mapper adds, in order.</summary>
    public IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns { get; }

    /// <summary>The input columns that output <paramref name="outputIndex"/> is computed from: only these are read.</summary>
    public abstract IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex);

    /// <summary>A cursor over <paramref name="input"/> that adds the outputs flagged in <paramref name="activeOutputs"/>.</summary>
    internal abstract DataViewRowCursor CreateCursor(DataViewSchema outputSchema, DataViewRowCursor input, bool[] activeOutputs);
}

/// <summary>A mapper computing each output of a row from that row alone, through getters.</summary>
public abstract class RowWiseMapper : RowMapper
{
    /// <summary>A mapper from <paramref name="inputSchema"/> adding <paramref name="outputColumns"/>.</summary>
    protected RowWiseMapper(DataViewSchema inputSchema, IReadOnlyList<DataViewSchema.DetachedColumn> outputColumns)
        : base(inputSchema, outputColumns) { }

    /// <summary>
    /// A <see cref="ValueGetter{TValue}"/> (of the output column's raw type) computing output
    /// <paramref name="outputIndex"/> from the current row of <paramref name="input"/>. Called once per cursor; the
    /// getter is used from that cursor's thread only, so it may keep scratch buffers.
    /// </summary>
    protected abstract Delegate MakeGetter(DataViewRow input, int outputIndex);

    internal override DataViewRowCursor CreateCursor(DataViewSchema outputSchema, DataViewRowCursor input, bool[] activeOutputs) =>
        new RowWiseCursor(this, outputSchema, input, activeOutputs);

    private sealed class RowWiseCursor(RowWiseMapper mapper, DataViewSchema schema, DataViewRowCursor input, bool[] activeOutputs) : DataViewRowCursor
    {
        private readonly Delegate?[] _outputGetters = new Delegate?[activeOutputs.Length];
        private readonly int _inputCount = input.Schema.Count;

        public override long Position => input.Position;
        public override DataViewSchema Schema => schema;
        public override bool MoveNext() => input.MoveNext();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < _inputCount ? input.IsColumnActive(input.Schema[column.Index]) : activeOutputs[column.Index - _inputCount];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Getters.RequireActive(this, column);
            if (column.Index < _inputCount) return input.GetGetter<TValue>(input.Schema[column.Index]);
            int output = column.Index - _inputCount;
            return Getters.Cast<TValue>(_outputGetters[output] ??= mapper.MakeGetter(input, output), column);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) input.Dispose();
        }
    }
}
