namespace MLNet.Transformers.Data;

/// <summary>
/// Runs a fitted pipeline on one object at a time: the object's members are the input columns, and the output
/// columns fill a <typeparamref name="TDst"/> by name. The schema is checked once, when the engine is made. Not
/// thread-safe (it reuses its input slot); a <see cref="PredictionEnginePool{TSrc, TDst}"/> is.
/// </summary>
/// <typeparam name="TSrc">The input type.</typeparam>
/// <typeparam name="TDst">The prediction type.</typeparam>
public sealed class PredictionEngine<TSrc, TDst> where TSrc : class where TDst : class, new()
{
    private readonly TSrc[] _input = new TSrc[1];
    private readonly IDataView _output;
    private readonly RowToObjectMapper<TDst> _mapper;
    private readonly DataViewSchema.Column[] _columns;

    internal PredictionEngine(TransformersContext context, ITransformer transformer, bool ignoreMissingColumns)
    {
        _output = transformer.Transform(context.Data.LoadFromEnumerable(_input));
        _mapper = new RowToObjectMapper<TDst>(_output.Schema, ignoreMissingColumns);
        _columns = [.. _mapper.Columns];
    }

    /// <summary>The schema of the pipeline's output.</summary>
    public DataViewSchema OutputSchema => _output.Schema;

    /// <summary>The prediction for <paramref name="example"/>.</summary>
    public TDst Predict(TSrc example)
    {
        var prediction = new TDst();
        Predict(example, ref prediction);
        return prediction;
    }

    /// <summary>Fills <paramref name="prediction"/> with the prediction for <paramref name="example"/>.</summary>
    public void Predict(TSrc example, ref TDst prediction)
    {
        ArgumentNullException.ThrowIfNull(example);
        _input[0] = example;
        try
        {
            using var cursor = _output.GetRowCursor(_columns);
            if (!cursor.MoveNext()) throw new InvalidOperationException("The pipeline produced no row for the example.");
            _mapper.MakeFiller(cursor)(prediction);
        }
        finally
        {
            _input[0] = null!;
        }
    }
}
