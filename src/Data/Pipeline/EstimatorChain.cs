namespace MLNet.Transformers.Data;

/// <summary>
/// Estimators fitted one after another, each on the output of the transformers before it. The whole chain's schema
/// is checked before the first estimator sees a row.
/// </summary>
/// <typeparam name="TLastTransformer">The transformer type of the last estimator.</typeparam>
public sealed class EstimatorChain<TLastTransformer> : IEstimator<TransformerChain<TLastTransformer>>
    where TLastTransformer : class, ITransformer
{
    private readonly IEstimator<ITransformer>[] _estimators;

    /// <summary>An empty chain; add steps with <see cref="Append{TNewTrans}"/>.</summary>
    public EstimatorChain() : this([]) { }

    private EstimatorChain(IEstimator<ITransformer>[] estimators) => _estimators = estimators;

    /// <summary>This chain with <paramref name="estimator"/> added at the end.</summary>
    public EstimatorChain<TNewTrans> Append<TNewTrans>(IEstimator<TNewTrans> estimator) where TNewTrans : class, ITransformer =>
        new([.. _estimators, estimator]);

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        _estimators.Aggregate(inputSchema, (shape, estimator) => estimator.GetOutputSchema(shape));

    /// <inheritdoc />
    public TransformerChain<TLastTransformer> Fit(IDataView input)
    {
        GetOutputSchema(SchemaShape.Create(input.Schema));
        var transformers = new ITransformer[_estimators.Length];
        var current = input;
        for (int i = 0; i < _estimators.Length; i++)
        {
            transformers[i] = _estimators[i].Fit(current);
            if (i + 1 < _estimators.Length) current = transformers[i].Transform(current);
        }
        return new TransformerChain<TLastTransformer>(transformers);
    }
}

/// <summary>Chains estimators and transformers with <c>Append</c>, as in ML.NET.</summary>
public static class PipelineExtensions
{
    /// <summary>A chain fitting <paramref name="start"/> then <paramref name="next"/>.</summary>
    public static EstimatorChain<TNext> Append<TStart, TNext>(this IEstimator<TStart> start, IEstimator<TNext> next)
        where TStart : class, ITransformer where TNext : class, ITransformer =>
        new EstimatorChain<ITransformer>().Append(start).Append(next);

    /// <summary>A chain applying <paramref name="start"/> then <paramref name="next"/>.</summary>
    public static TransformerChain<TNext> Append<TNext>(this ITransformer start, TNext next) where TNext : class, ITransformer =>
        new(start, next);
}
