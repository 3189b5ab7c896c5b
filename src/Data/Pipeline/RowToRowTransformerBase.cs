namespace MLNet.Transformers.Data;

/// <summary>
/// Base of transformers that keep every input column and append computed ones. Derived classes build a
/// <see cref="RowMapper"/> for an input schema (checking the columns they need, which makes a missing or mistyped
/// column fail when <see cref="Transform"/> is called, before any row is read) and save their parameters.
/// </summary>
public abstract class RowToRowTransformerBase : ITransformer
{
    /// <summary>The mapper for <paramref name="inputSchema"/>; throws a <see cref="SchemaException"/> when a needed column is missing or mistyped.</summary>
    protected abstract RowMapper MakeRowMapper(DataViewSchema inputSchema);

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => MappedDataView.OutputSchema(inputSchema, MakeRowMapper(inputSchema));

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => new MappedDataView(input, MakeRowMapper(input.Schema));

    /// <inheritdoc />
    public abstract void Save(ModelSaveContext ctx);
}

/// <summary>A view of a source with a mapper's columns appended; columns are computed as cursors move.</summary>
internal sealed class MappedDataView : IDataView
{
    private readonly IDataView _source;
    private readonly RowMapper _mapper;

    public MappedDataView(IDataView source, RowMapper mapper)
    {
        _source = source;
        _mapper = mapper;
        Schema = OutputSchema(source.Schema, mapper);
    }

    public DataViewSchema Schema { get; }

    public static DataViewSchema OutputSchema(DataViewSchema input, RowMapper mapper) =>
        DataViewSchema.Create([.. input.Select(c => c.Detach()), .. mapper.OutputColumns]);

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        var active = Getters.ActiveFlags(Schema, columnsNeeded);
        int inputCount = _source.Schema.Count;
        var activeOutputs = active[inputCount..];
        var inputNeeded = new HashSet<int>(Enumerable.Range(0, inputCount).Where(i => active[i]));
        for (int i = 0; i < activeOutputs.Length; i++)
            if (activeOutputs[i]) inputNeeded.UnionWith(_mapper.GetDependencies(i).Select(c => c.Index));
        var input = _source.GetRowCursor(inputNeeded.Order().Select(i => _source.Schema[i]));
        return _mapper.CreateCursor(Schema, input, activeOutputs);
    }
}
