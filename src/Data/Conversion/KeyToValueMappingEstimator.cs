namespace MLNet.Transformers.Data;

/// <summary>Maps key columns back to the values in their key-values annotation (key 0, missing, gives the type's default).</summary>
public sealed class KeyToValueMappingEstimator(InputOutputColumnPair[] columns) : IEstimator<KeyToValueMappingTransformer>
{
    internal const string Role = "input of MapKeyToValue";

    internal const string Expected = "a key column with key values";

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        inputSchema.With([.. columns.Select(pair =>
        {
            inputSchema.RequireColumn(pair.InputColumnName, Role,
                c => c.IsKey && c.Kind == SchemaShape.VectorKind.Scalar && c.AnnotationKinds.Contains(AnnotationUtils.Kinds.KeyValues), Expected);
            return new SchemaShape.Column(pair.OutputColumnName, SchemaShape.VectorKind.Scalar, TextDataViewType.Instance, false, []);
        })]);

    /// <inheritdoc />
    public KeyToValueMappingTransformer Fit(IDataView input)
    {
        var transformer = new KeyToValueMappingTransformer(columns);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }
}
