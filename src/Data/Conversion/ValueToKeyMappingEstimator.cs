namespace MLNet.Transformers.Data;

/// <summary>
/// Learns the categories of text, number or boolean columns and maps each value to a key (1-based; 0 for a value
/// not seen in training). The output column is a key type annotated with the values, so
/// <see cref="KeyToValueMappingEstimator"/> can map back.
/// </summary>
public sealed class ValueToKeyMappingEstimator : IEstimator<ValueToKeyMappingTransformer>
{
    /// <summary>The default most categories kept per column (1 000 000, as in ML.NET).</summary>
    public const int DefaultMaximumNumberOfKeys = 1_000_000;

    private readonly InputOutputColumnPair[] _columns;
    private readonly int _maximumNumberOfKeys;
    private readonly KeyOrdinality _ordinality;

    /// <summary>Maps each pair of <paramref name="columns"/>, keeping at most <paramref name="maximumNumberOfKeys"/> categories each.</summary>
    public ValueToKeyMappingEstimator(InputOutputColumnPair[] columns, int maximumNumberOfKeys = DefaultMaximumNumberOfKeys,
        KeyOrdinality keyOrdinality = KeyOrdinality.ByOccurrence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumNumberOfKeys, 1);
        if (columns.Length == 0) throw new ArgumentException("At least one column is needed.", nameof(columns));
        _columns = columns;
        _maximumNumberOfKeys = maximumNumberOfKeys;
        _ordinality = keyOrdinality;
    }

    internal const string Role = "input of MapValueToKey";

    internal const string Expected = "Text, Single, Int32 or Boolean";

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        inputSchema.With([.. _columns.Select(pair =>
        {
            inputSchema.RequireColumn(pair.InputColumnName, Role, c => c.Kind == SchemaShape.VectorKind.Scalar && !c.IsKey && KeyValueMap.CanMap(c.ItemType), Expected);
            return new SchemaShape.Column(pair.OutputColumnName, SchemaShape.VectorKind.Scalar, new KeyDataViewType(1), true, [AnnotationUtils.Kinds.KeyValues]);
        })]);

    /// <inheritdoc />
    public ValueToKeyMappingTransformer Fit(IDataView input)
    {
        var sources = _columns.Select(pair => SchemaException.Require(input.Schema, pair.InputColumnName, Role, KeyValueMap.CanMap, Expected)).ToArray();
        var maps = sources.Select(column => KeyValueMap.Learn(input, column, _maximumNumberOfKeys, _ordinality)).ToArray();
        return new ValueToKeyMappingTransformer(_columns, maps);
    }
}
