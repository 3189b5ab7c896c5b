namespace MLNet.Transformers.Data;

/// <summary>
/// Copies the rows of a view into objects: each writable member of <typeparamref name="TRow"/> is filled from the
/// column of its name, whose raw type must match (string for text, uint for keys, float[] for vectors, ...).
/// </summary>
internal sealed class RowToObjectMapper<TRow> where TRow : class, new()
{
    private readonly (MemberColumn<TRow> Member, DataViewSchema.Column Column)[] _bindings;

    /// <summary>Binds the members to <paramref name="schema"/>'s columns; members without a column are an error unless
    /// <paramref name="ignoreMissingColumns"/>.</summary>
    public RowToObjectMapper(DataViewSchema schema, bool ignoreMissingColumns)
    {
        var bindings = new List<(MemberColumn<TRow>, DataViewSchema.Column)>();
        foreach (var member in MemberColumn<TRow>.All)
        {
            string role = $"read into {typeof(TRow).Name}.{member.Member.Name}";
            if (schema.GetColumnOrNull(member.Name) is not { } column)
            {
                if (ignoreMissingColumns) continue;
                throw SchemaException.Missing(member.Name, role, schema.Where(c => !c.IsHidden).Select(c => c.Name));
            }
            if (column.Type.RawType != member.RawType)
                throw SchemaException.Mistyped(member.Name, role, $"held as {member.RawType.Name}", column.Type.ToString());
            if (!member.CanWrite)
                throw new InvalidOperationException($"{typeof(TRow).Name}.{member.Member.Name} has no public setter to receive column '{member.Name}'.");
            bindings.Add((member, column));
        }
        _bindings = [.. bindings];
    }

    /// <summary>The columns the mapper reads.</summary>
    public IEnumerable<DataViewSchema.Column> Columns => _bindings.Select(b => b.Column);

    /// <summary>An action filling an object from <paramref name="row"/>'s current values (opened with <see cref="Columns"/>).</summary>
    public Action<TRow> MakeFiller(DataViewRow row)
    {
        var setters = _bindings.Select(b => b.Member.MakeSetter(row, b.Column)).ToArray();
        return target =>
        {
            foreach (var set in setters) set(target);
        };
    }

    /// <summary>The rows of <paramref name="view"/> as objects, read lazily; one reused object when <paramref name="reuseRowObject"/>.</summary>
    public IEnumerable<TRow> Enumerate(IDataView view, bool reuseRowObject)
    {
        using var cursor = view.GetRowCursor(Columns);
        var fill = MakeFiller(cursor);
        var shared = reuseRowObject ? new TRow() : null;
        while (cursor.MoveNext())
        {
            var row = shared ?? new TRow();
            fill(row);
            yield return row;
        }
    }
}
