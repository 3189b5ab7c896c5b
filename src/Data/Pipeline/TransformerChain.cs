using System.Collections;

namespace MLNet.Transformers.Data;

/// <summary>Transformers applied one after another; the result of fitting an <see cref="EstimatorChain{TLastTransformer}"/>.</summary>
/// <typeparam name="TLastTransformer">The type of the last transformer.</typeparam>
public sealed class TransformerChain<TLastTransformer> : ITransformer, IEnumerable<ITransformer>
    where TLastTransformer : class, ITransformer
{
    private readonly ITransformer[] _transformers;

    /// <summary>A chain of <paramref name="transformers"/>, the last of which must be a <typeparamref name="TLastTransformer"/>.</summary>
    public TransformerChain(params ITransformer[] transformers)
    {
        _transformers = [.. transformers];
        LastTransformer = transformers.Length == 0 ? null! : transformers[^1] as TLastTransformer
            ?? throw new ArgumentException($"The last transformer is {transformers[^1].GetType().Name}, not {typeof(TLastTransformer).Name}.", nameof(transformers));
    }

    /// <summary>The last transformer of the chain (null for an empty chain).</summary>
    public TLastTransformer LastTransformer { get; }

    /// <summary>This chain with <paramref name="transformer"/> added at the end.</summary>
    public TransformerChain<TNewLast> Append<TNewLast>(TNewLast transformer) where TNewLast : class, ITransformer =>
        new([.. _transformers, transformer]);

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        _transformers.Aggregate(inputSchema, (schema, transformer) => transformer.GetOutputSchema(schema));

    /// <inheritdoc />
    public IDataView Transform(IDataView input) =>
        _transformers.Aggregate(input, (view, transformer) => transformer.Transform(view));

    /// <inheritdoc />
    public void Save(ModelSaveContext ctx) => TransformerChainFormat.Save(ctx, _transformers);

    /// <inheritdoc />
    public IEnumerator<ITransformer> GetEnumerator() => ((IEnumerable<ITransformer>)_transformers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// How a chain is stored: <c>chain.json</c> with the number of steps, and step <c>i</c> in sub-directory
/// <c>i/</c>. A loaded chain is typed <c>TransformerChain&lt;ITransformer&gt;</c>.
/// </summary>
internal static class TransformerChainFormat
{
    private const string IndexEntry = "chain.json";

    public const string ComponentName = "TransformerChain";

    public const int FormatVersion = 1;

    public static void Save(ModelSaveContext ctx, IReadOnlyList<ITransformer> transformers)
    {
        ctx.WriteJson(IndexEntry, new ChainIndex(transformers.Count));
        for (int i = 0; i < transformers.Count; i++) ctx.SaveComponent(transformers[i], StepName(i));
    }

    public static TransformerChain<ITransformer> Load(ModelLoadContext ctx)
    {
        var index = ctx.ReadJson<ChainIndex>(IndexEntry);
        if (index.Count < 0) throw ctx.Corrupt(IndexEntry, $"a chain of {index.Count} steps");
        var steps = new ITransformer[index.Count];
        for (int i = 0; i < steps.Length; i++) steps[i] = ctx.LoadComponent<ITransformer>(StepName(i));
        return new TransformerChain<ITransformer>(steps);
    }

    private static string StepName(int index) => index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record ChainIndex(int Count);
}
