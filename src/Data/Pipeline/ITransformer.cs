namespace MLNet.Transformers.Data;

/// <summary>
/// A fitted pipeline step: maps a data view to another, lazily. A transformer is immutable once fitted, so one
/// instance may transform any number of views from any number of threads.
/// </summary>
public interface ITransformer : ICanSaveModel
{
    /// <summary>The schema <see cref="Transform"/> would produce from <paramref name="inputSchema"/>; throws a
    /// <see cref="SchemaException"/> naming the column when the input lacks one it needs.</summary>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    /// <summary>A view of <paramref name="input"/> with this step applied. Checks the schema now; computes nothing
    /// until a cursor moves.</summary>
    IDataView Transform(IDataView input);
}

/// <summary>
/// A pipeline step before training: <see cref="Fit"/> learns from data (a vocabulary, weights) and returns the
/// transformer that applies what was learned.
/// </summary>
/// <typeparam name="TTransformer">The transformer <see cref="Fit"/> returns.</typeparam>
public interface IEstimator<out TTransformer> where TTransformer : ITransformer
{
    /// <summary>Learns from <paramref name="input"/>; checks the schema before reading any row.</summary>
    TTransformer Fit(IDataView input);

    /// <summary>The shape of the output for an input of <paramref name="inputSchema"/>; throws a
    /// <see cref="SchemaException"/> naming the column when a needed one is missing or mistyped.</summary>
    SchemaShape GetOutputSchema(SchemaShape inputSchema);
}
