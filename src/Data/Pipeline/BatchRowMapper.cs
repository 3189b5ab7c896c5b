namespace MLNet.Transformers.Data;

/// <summary>
/// A mapper that computes its outputs for many rows at once. Its cursor reads up to <see cref="BatchSize"/> input
/// rows ahead, holds their active columns in column arrays (a <see cref="RowBatch"/>), calls
/// <see cref="MapBatch"/> once, then serves the rows one by one; so a model runs on (B, ...) inputs while the rest of
/// the pipeline stays row by row and memory stays bounded by one batch. Pass-through columns are held too, so the
/// rows served are exactly the rows read.
/// </summary>
public abstract class BatchRowMapper : RowMapper
{
    /// <summary>A mapper from <paramref name="inputSchema"/> adding <paramref name="outputColumns"/>, <paramref name="batchSize"/> rows at a time.</summary>
    protected BatchRowMapper(DataViewSchema inputSchema, IReadOnlyList<DataViewSchema.DetachedColumn> outputColumns, int batchSize)
        : base(inputSchema, outputColumns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
    }

    /// <summary>The most rows passed to one <see cref="MapBatch"/> call (the last batch may be smaller).</summary>
    public int BatchSize { get; }

    /// <summary>
    /// Fills the active outputs of <paramref name="batch"/> for its <see cref="RowBatch.Count"/> rows. Called
    /// concurrently by cursors on different threads (a transformer is shared), each with its own batch: keep per-call
    /// state in locals or in the batch, not in fields. Values written are snapshots: a vector output gets an array of
    /// its own per row (downstream steps may keep it), never a buffer reused by the next batch.
    /// </summary>
    protected abstract void MapBatch(RowBatch batch);

    internal override DataViewRowCursor CreateCursor(DataViewSchema outputSchema, DataViewRowCursor input, bool[] activeOutputs) =>
        new BatchCursor(this, outputSchema, input, activeOutputs);

    private sealed class BatchCursor : DataViewRowCursor
    {
        private readonly BatchRowMapper _mapper;
        private readonly DataViewSchema _schema;
        private readonly DataViewRowCursor _input;
        private readonly RowBatch _batch;
        private readonly int _inputCount;
        private long _position = -1;
        private int _slot;

        public BatchCursor(BatchRowMapper mapper, DataViewSchema schema, DataViewRowCursor input, bool[] activeOutputs)
        {
            _mapper = mapper;
            _schema = schema;
            _input = input;
            _inputCount = input.Schema.Count;
            _batch = new RowBatch(input, mapper.OutputColumns, activeOutputs, mapper.BatchSize);
        }

        public override long Position => _position;
        public override DataViewSchema Schema => _schema;

        public override bool MoveNext()
        {
            if (++_slot >= _batch.Count)
            {
                if (!_batch.Fill(_input)) return false;
                if (_batch.AnyOutputActive) _mapper.MapBatch(_batch);
                _slot = 0;
            }
            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < _inputCount ? _input.IsColumnActive(_input.Schema[column.Index]) : _batch.IsOutputActive(column.Index - _inputCount);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Getters.RequireActive(this, column);
            var buffer = column.Index < _inputCount ? _batch.InputBuffer(column.Index) : _batch.OutputBuffer(column.Index - _inputCount);
            return Getters.Cast<TValue>(buffer.GetGetter(() => _slot), column);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _input.Dispose();
        }
    }
}
