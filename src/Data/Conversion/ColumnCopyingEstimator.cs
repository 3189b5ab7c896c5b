namespace MLNet.Transformers.Data;

/// <summary>Copies columns under new names (type and annotations included); nothing to learn.</summary>
public sealed class ColumnCopyingEstimator(InputOutputColumnPair[] columns) : IEstimator<ColumnCopyingTransformer>
{
    internal const string Role = "input of CopyColumns";

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        inputSchema.With([.. columns.Select(pair =>
            inputSchema.RequireColumn(pair.InputColumnName, Role, _ => true, "any column") with { Name = pair.OutputColumnName })]);

    /// <inheritdoc />
    public ColumnCopyingTransformer Fit(IDataView input)
    {
        var transformer = new ColumnCopyingTransformer(columns);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }
}
