namespace MLNet.Transformers.Data;

/// <summary>Maps keys to their values, read from the input column's key-values annotation; saved as its column pairs.</summary>
public sealed class KeyToValueMappingTransformer : OneToOneTransformerBase, IModelComponent<KeyToValueMappingTransformer>
{
    /// <summary>Maps each pair of <paramref name="columns"/>.</summary>
    public KeyToValueMappingTransformer(InputOutputColumnPair[] columns) : base(columns) { }

    /// <inheritdoc />
    public static string ComponentName => "KeyToValueMapping";

    /// <inheritdoc />
    public static int FormatVersion => 1;

    /// <inheritdoc />
    protected override RowMapper MakeRowMapper(DataViewSchema inputSchema) =>
        new Mapper(inputSchema, RequireInputs(inputSchema, KeyToValueMappingEstimator.Role, (_, type) => type is KeyDataViewType, _ => KeyToValueMappingEstimator.Expected), ColumnPairs);

    /// <inheritdoc />
    public static KeyToValueMappingTransformer Load(ModelLoadContext ctx) => new(LoadColumnPairs(ctx));

    private sealed class Mapper : RowWiseMapper
    {
        private static readonly System.Reflection.MethodInfo MakeValueGetterMethod =
            typeof(Mapper).GetMethod(nameof(MakeValueGetter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

        private readonly DataViewSchema.Column[] _sources;
        private readonly Func<DataViewRow, DataViewSchema.Column, Delegate>[] _makeGetters;

        public Mapper(DataViewSchema inputSchema, DataViewSchema.Column[] sources, IReadOnlyList<InputOutputColumnPair> columns)
            : base(inputSchema, [.. columns.Select((pair, i) => new DataViewSchema.DetachedColumn(pair.OutputColumnName, ValueTypeOf(sources[i])))])
        {
            _sources = sources;
            _makeGetters = [.. OutputColumns.Select(c => MakeValueGetterMethod.MakeGenericMethod(c.Type.RawType)
                .CreateDelegate<Func<DataViewRow, DataViewSchema.Column, Delegate>>())];
        }

        private static PrimitiveDataViewType ValueTypeOf(DataViewSchema.Column key) =>
            key.Annotations.GetTypeOrNull(AnnotationUtils.Kinds.KeyValues) is VectorDataViewType values
                ? values.ItemType
                : throw SchemaException.Mistyped(key.Name, KeyToValueMappingEstimator.Role, KeyToValueMappingEstimator.Expected, $"{key.Type} without key values");

        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_sources[outputIndex]];

        protected override Delegate MakeGetter(DataViewRow input, int outputIndex) => _makeGetters[outputIndex](input, _sources[outputIndex]);

        private static Delegate MakeValueGetter<T>(DataViewRow input, DataViewSchema.Column key)
        {
            var values = default(VBuffer<T>);
            key.Annotations.GetValue(AnnotationUtils.Kinds.KeyValues, ref values);
            var keys = input.GetGetter<uint>(key);
            uint k = 0;
            return (ValueGetter<T>)((ref T value) =>
            {
                keys(ref k);
                value = k >= 1 && k <= values.Length ? values.GetItemOrDefault((int)k - 1) : default!;
            });
        }
    }
}
