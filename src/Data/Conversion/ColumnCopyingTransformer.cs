namespace MLNet.Transformers.Data;

/// <summary>Copies columns under new names (type and annotations included); saved as its column pairs.</summary>
public sealed class ColumnCopyingTransformer : OneToOneTransformerBase, IModelComponent<ColumnCopyingTransformer>
{
    /// <summary>Copies each pair of <paramref name="columns"/>.</summary>
    public ColumnCopyingTransformer(InputOutputColumnPair[] columns) : base(columns) { }

    /// <inheritdoc />
    public static string ComponentName => "ColumnCopying";

    /// <inheritdoc />
    public static int FormatVersion => 1;

    /// <inheritdoc />
    protected override RowMapper MakeRowMapper(DataViewSchema inputSchema) =>
        new Mapper(inputSchema, RequireInputs(inputSchema, ColumnCopyingEstimator.Role, (_, _) => true, _ => "any column"), ColumnPairs);

    /// <inheritdoc />
    public static ColumnCopyingTransformer Load(ModelLoadContext ctx) => new(LoadColumnPairs(ctx));

    private sealed class Mapper : RowWiseMapper
    {
        private static readonly System.Reflection.MethodInfo SameGetterMethod =
            typeof(Mapper).GetMethod(nameof(SameGetter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

        private readonly DataViewSchema.Column[] _sources;
        private readonly Func<DataViewRow, DataViewSchema.Column, Delegate>[] _getGetters;

        public Mapper(DataViewSchema inputSchema, DataViewSchema.Column[] sources, IReadOnlyList<InputOutputColumnPair> columns)
            : base(inputSchema, [.. columns.Select((pair, i) => sources[i].Detach() with { Name = pair.OutputColumnName })])
        {
            _sources = sources;
            _getGetters = [.. sources.Select(c => SameGetterMethod.MakeGenericMethod(c.Type.RawType)
                .CreateDelegate<Func<DataViewRow, DataViewSchema.Column, Delegate>>())];
        }

        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_sources[outputIndex]];

        protected override Delegate MakeGetter(DataViewRow input, int outputIndex) => _getGetters[outputIndex](input, _sources[outputIndex]);

        private static Delegate SameGetter<T>(DataViewRow input, DataViewSchema.Column column) => input.GetGetter<T>(column);
    }
}
