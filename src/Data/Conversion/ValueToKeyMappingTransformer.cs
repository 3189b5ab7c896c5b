namespace MLNet.Transformers.Data;

/// <summary>Maps values to the keys learned by <see cref="ValueToKeyMappingEstimator"/>; saved as <c>keys.json</c>.</summary>
public sealed class ValueToKeyMappingTransformer : OneToOneTransformerBase, IModelComponent<ValueToKeyMappingTransformer>
{
    private const string KeysEntry = "keys.json";

    private readonly KeyValueMap[] _maps;

    internal ValueToKeyMappingTransformer(InputOutputColumnPair[] columns, KeyValueMap[] maps) : base(columns) => _maps = maps;

    /// <inheritdoc />
    public static string ComponentName => "ValueToKeyMapping";

    /// <inheritdoc />
    public static int FormatVersion => 1;

    /// <summary>The learned categories of each output column, in key order, as text.</summary>
    public IReadOnlyDictionary<string, string[]> KeyValues =>
        ColumnPairs.Select((pair, i) => (pair.OutputColumnName, _maps[i].FormatValues())).ToDictionary(p => p.OutputColumnName, p => p.Item2);

    /// <inheritdoc />
    protected override RowMapper MakeRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    /// <inheritdoc />
    public override void Save(ModelSaveContext ctx) =>
        ctx.WriteJson(KeysEntry, ColumnPairs.Select((pair, i) => new SavedColumn(pair.OutputColumnName, pair.InputColumnName,
            DataViewTypeFormat.Format(_maps[i].ValueType), _maps[i].FormatValues())).ToArray());

    /// <inheritdoc />
    public static ValueToKeyMappingTransformer Load(ModelLoadContext ctx)
    {
        var saved = ctx.ReadJson<SavedColumn[]>(KeysEntry);
        if (saved.Length == 0) throw ctx.Corrupt(KeysEntry, "no columns");
        return new ValueToKeyMappingTransformer(
            [.. saved.Select(c => new InputOutputColumnPair(c.Output, c.Input))],
            [.. saved.Select(c => KeyValueMap.Parse(DataViewTypeFormat.Parse(c.Type), c.Values))]);
    }

    private sealed record SavedColumn(string Output, string Input, string Type, string[] Values);

    private sealed class Mapper : RowWiseMapper
    {
        private readonly ValueToKeyMappingTransformer _parent;
        private readonly DataViewSchema.Column[] _sources;

        public Mapper(ValueToKeyMappingTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema, [.. parent.ColumnPairs.Select((pair, i) => parent._maps[i].OutputColumn(pair.OutputColumnName))])
        {
            _parent = parent;
            _sources = parent.RequireInputs(inputSchema, ValueToKeyMappingEstimator.Role,
                (i, type) => type.Equals(parent._maps[i].ValueType), i => parent._maps[i].ValueType.ToString());
        }

        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_sources[outputIndex]];

        protected override Delegate MakeGetter(DataViewRow input, int outputIndex) =>
            _parent._maps[outputIndex].MakeKeyGetter(input, _sources[outputIndex]);
    }
}
