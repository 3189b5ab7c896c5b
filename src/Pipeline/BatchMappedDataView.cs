using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Transformers.Pipeline;

/// <summary>
/// The data view a <see cref="BatchTransformer"/> returns: lazy (nothing is computed until a cursor moves), and each
/// cursor reads up to a batch of input rows ahead, maps them with one <see cref="BatchMapper.MapBatch"/> call, then
/// serves them one by one. Memory stays bounded by one batch per cursor.
/// </summary>
internal sealed class BatchMappedDataView(IDataView source, BatchMapper mapper) : IDataView
{
    public DataViewSchema Schema => mapper.OutputSchema;

    public bool CanShuffle => source.CanShuffle;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        var inputs = mapper.InputsNeeded(needed);
        return new Cursor(mapper, source.GetRowCursor(inputs, rand), inputs, mapper.ActiveOutputs(needed));
    }

    /// <summary>One cursor: the batching happens inside it, on all cores the mapper uses.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly BatchMapper _mapper;
        private readonly DataViewRowCursor _input;
        private readonly RowBatch _batch;
        private readonly bool[] _activeOutputs;
        private readonly bool[] _activeInputs;
        private readonly ValueGetter<DataViewRowId> _inputId;
        private readonly DataViewRowId[] _ids;
        private long _position = -1;
        private int _slot;

        public Cursor(BatchMapper mapper, DataViewRowCursor input, DataViewSchema.Column[] inputs, bool[] activeOutputs)
        {
            _mapper = mapper;
            _input = input;
            _activeOutputs = activeOutputs;
            _activeInputs = new bool[mapper.InputSchema.Count];
            foreach (var column in inputs) _activeInputs[column.Index] = true;
            _batch = new RowBatch(input, inputs, mapper.OutputColumns, activeOutputs, mapper.BatchSize);
            _inputId = input.GetIdGetter();
            _ids = new DataViewRowId[mapper.BatchSize];
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _mapper.OutputSchema;

        public override bool MoveNext()
        {
            if (++_slot >= _batch.Count)
            {
                if (!_batch.Fill(_input, slot => _inputId(ref _ids[slot]))) return false;
                if (_batch.AnyOutputActive) _mapper.MapBatch(_batch);
                _slot = 0;
            }
            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = _ids[_slot];

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < _activeInputs.Length ? _activeInputs[column.Index] : _activeOutputs[column.Index - _activeInputs.Length];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column)) throw new InvalidOperationException($"Column '{column.Name}' was not asked for when this cursor was opened.");
            var buffer = column.Index < _activeInputs.Length ? _batch.InputBufferOf(column.Index) : _batch.OutputBuffer(column.Index - _activeInputs.Length);
            return Getters.Cast<TValue>(buffer.GetGetter(() => _slot), column);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
