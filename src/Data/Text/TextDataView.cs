namespace MLNet.Transformers.Data;

/// <summary>The view a <see cref="TextLoader"/> returns: each cursor streams the files once.</summary>
internal sealed class TextDataView(IMultiStreamSource source, TextLoader.Options options, ResolvedColumn[] columns) : IDataView
{
    private readonly IMultiStreamSource _source = source;
    private readonly TextLoader.Options _options = options;

    public DataViewSchema Schema { get; } = DataViewSchema.Create([.. columns.Select(c => new DataViewSchema.DetachedColumn(c.Name, c.Type))]);

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        var active = Getters.ActiveFlags(Schema, columnsNeeded);
        var slots = new FieldSlot?[columns.Length];
        for (int i = 0; i < columns.Length; i++)
            if (active[i]) slots[i] = FieldSlot.Create(Schema[i], columns[i].Start, columns[i].End);
        return new Cursor(this, slots);
    }

    private sealed class Cursor(TextDataView view, FieldSlot?[] slots) : DataViewRowCursor
    {
        private readonly FieldSlot[] _active = [.. slots.OfType<FieldSlot>()];
        private DelimitedRecordReader? _reader;
        private int _file = -1;
        private long _position = -1;

        public override long Position => _position;
        public override DataViewSchema Schema => view.Schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => slots[column.Index] is not null;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Getters.RequireActive(this, column);
            return Getters.Cast<TValue>(slots[column.Index]!.Getter, column);
        }

        public override bool MoveNext()
        {
            while (NextRecord() is { } reader)
            {
                string? problem = null;
                foreach (var slot in _active)
                    if ((problem = slot.Parse(reader)) is not null) break;
                if (problem is null)
                {
                    _position++;
                    return true;
                }
                Report(new BadRowException(TextLoader.Describe(view._source, _file), reader.LineNumber, problem));
            }
            return false;
        }

        /// <summary>The reader positioned on the next record of any file, or null after the last one.</summary>
        private DelimitedRecordReader? NextRecord()
        {
            while (true)
            {
                if (_reader is null)
                {
                    if (++_file >= view._source.Count) return null;
                    _reader = TextLoader.CreateReader(view._source.Open(_file), view._options);
                    if (view._options.HasHeader && !TryRead()) continue;
                }
                if (TryRead()) return _reader;
                _reader.Dispose();
                _reader = null;
            }
        }

        /// <summary>Reads one record; a record with broken quoting is reported (and, when skipping, read past).</summary>
        private bool TryRead()
        {
            while (true)
            {
                try { return _reader!.Read(); }
                catch (FormatException e) { Report(new BadRowException(TextLoader.Describe(view._source, _file), _reader!.LineNumber, e.Message)); }
            }
        }

        private void Report(BadRowException error)
        {
            if (view._options.BadRows == BadRowHandling.Fail) throw error;
            view._options.OnBadRow?.Invoke(error);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _reader?.Dispose();
        }
    }
}
