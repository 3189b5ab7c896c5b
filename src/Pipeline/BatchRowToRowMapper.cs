using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Transformers.Pipeline;

/// <summary>
/// A <see cref="BatchMapper"/> as ML.NET's <see cref="IRowToRowMapper"/>, which prediction engines use: each row
/// maps as a batch of one, computed once per input position, when the first output getter is called.
/// </summary>
internal sealed class BatchRowToRowMapper(BatchMapper mapper) : IRowToRowMapper
{
    public DataViewSchema InputSchema => mapper.InputSchema;

    public DataViewSchema OutputSchema => mapper.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        mapper.InputsNeeded(dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new MappedRow(mapper, input, mapper.ActiveOutputs(activeColumns));

    private sealed class MappedRow : DataViewRow
    {
        private readonly BatchMapper _mapper;
        private readonly DataViewRow _input;
        private readonly bool[] _activeOutputs;
        private readonly RowBatch _batch;
        private long _mappedPosition = -1;

        public MappedRow(BatchMapper mapper, DataViewRow input, bool[] activeOutputs)
        {
            _mapper = mapper;
            _input = input;
            _activeOutputs = activeOutputs;
            _batch = new RowBatch(input, mapper.Dependencies(activeOutputs), mapper.OutputColumns, activeOutputs, capacity: 1);
        }

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override DataViewSchema Schema => _mapper.OutputSchema;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < _mapper.InputSchema.Count ? _input.IsColumnActive(_mapper.InputSchema[column.Index]) : _activeOutputs[column.Index - _mapper.InputSchema.Count];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var inputCount = _mapper.InputSchema.Count;
            if (column.Index < inputCount) return _input.GetGetter<TValue>(_mapper.InputSchema[column.Index]);
            if (!_activeOutputs[column.Index - inputCount]) throw new InvalidOperationException($"Column '{column.Name}' is not active in this row.");
            var stored = Getters.Cast<TValue>(_batch.OutputBuffer(column.Index - inputCount).GetGetter(() => 0), column);
            return (ref TValue value) =>
            {
                EnsureMapped();
                stored(ref value);
            };
        }

        private void EnsureMapped()
        {
            if (_mappedPosition == _input.Position) return;
            _batch.FillOne();
            _mapper.MapBatch(_batch);
            _mappedPosition = _input.Position;
        }
    }
}
