using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Transformers.Pipeline;

/// <summary>
/// An ML.NET transformer that adds columns computed in batches of rows (see <see cref="BatchMapper"/>), and saves
/// into ML.NET's model zip: <c>mlContext.Model.Save</c> stores what <see cref="SaveModel"/> writes, and
/// <c>mlContext.Model.Load</c> restores it through the loader registered for <see cref="Format"/>.
/// </summary>
public abstract class BatchTransformer : ITransformer
{
    /// <summary>How the transformer is stored.</summary>
    protected abstract ModelFormat Format { get; }

    /// <summary>Binds the transformer to <paramref name="inputSchema"/>; throws a <see cref="SchemaException"/> naming a missing or mistyped column.</summary>
    protected abstract BatchMapper CreateMapper(DataViewSchema inputSchema);

    /// <summary>Writes the transformer's entries (settings, weights, tokenizer) into its directory of the zip.</summary>
    protected abstract void SaveModel(ModelWriter writer);

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return CreateMapper(inputSchema).OutputSchema;
    }

    /// <summary>Adds the columns to <paramref name="input"/>, lazily: rows are mapped in batches as a cursor moves.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new BatchMappedDataView(input, CreateMapper(input.Schema));
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new BatchRowToRowMapper(CreateMapper(inputSchema));
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel();
        ctx.SetVersionInfo(Format.VersionInfo);
        SaveModel(new ModelWriter(ctx));
    }
}
