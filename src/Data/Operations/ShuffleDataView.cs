namespace MLNet.Transformers.Data;

/// <summary>
/// The rows of a source in a seeded random order, streaming: a pool of <c>poolSize</c> rows is filled, and each
/// move serves a random row of the pool and refills its place from the source. Memory is bounded by the pool; the
/// same seed gives the same order. With a pool at least as large as the source, every order is equally likely.
/// </summary>
internal sealed class ShuffleDataView(IDataView source, int seed, int poolSize) : IDataView
{
    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded) =>
        new Cursor(source.GetRowCursor(columnsNeeded), new Random(seed), poolSize);

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _input;
        private readonly Random _random;
        private readonly ColumnBuffer?[] _columns;
        private readonly List<int> _pool;
        private readonly Stack<int> _free;
        private readonly int _poolSize;
        private int _current = -1;
        private long _position = -1;

        public Cursor(DataViewRowCursor input, Random random, int poolSize)
        {
            _input = input;
            _random = random;
            _poolSize = poolSize;
            // One slot more than the pool: the row being served stays intact while the pool refills.
            _columns = [.. input.Schema.Select(c => input.IsColumnActive(c) ? ColumnBuffer.Create(c.Type, poolSize + 1) : null)];
            foreach (var column in input.Schema) _columns[column.Index]?.Bind(input, column);
            _pool = new List<int>(poolSize);
            _free = new Stack<int>(Enumerable.Range(0, poolSize + 1));
        }

        public override long Position => _position;
        public override DataViewSchema Schema => _input.Schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => _input.IsColumnActive(column);

        public override bool MoveNext()
        {
            if (_current >= 0) _free.Push(_current);
            while (_pool.Count < _poolSize && _input.MoveNext())
            {
                int slot = _free.Pop();
                Capture(slot);
                _pool.Add(slot);
            }
            if (_pool.Count == 0)
            {
                _current = -1;
                return false;
            }
            int pick = _random.Next(_pool.Count);
            _current = _pool[pick];
            _pool[pick] = _pool[^1];
            _pool.RemoveAt(_pool.Count - 1);
            _position++;
            return true;
        }

        private void Capture(int slot)
        {
            foreach (var column in _columns) column?.Capture(slot);
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Getters.RequireActive(this, column);
            return Getters.Cast<TValue>(_columns[column.Index]!.GetGetter(() => _current), column);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _input.Dispose();
        }
    }
}
