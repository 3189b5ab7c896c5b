namespace MLNet.Transformers.Data;

/// <summary>
/// The entry point of a pipeline, as ML.NET's <c>MLContext</c>: catalogs of data operations, transforms, trainers,
/// evaluators and model operations. A seed makes every random choice made through the context (splits, shuffles,
/// trainers' initialisation) repeatable.
/// </summary>
public sealed class TransformersContext
{
    private readonly Random _seeds;
    private readonly Lock _seedLock = new();

    /// <summary>A context; with <paramref name="seed"/> every run makes the same random choices.</summary>
    public TransformersContext(int? seed = null)
    {
        Seed = seed;
        _seeds = seed is int s ? new Random(s) : new Random();
        Data = new DataOperationsCatalog(this);
        Transforms = new TransformsCatalog(this);
        BinaryClassification = new BinaryClassificationCatalog(this);
        MulticlassClassification = new MulticlassClassificationCatalog(this);
        Model = new ModelOperationsCatalog(this);
    }

    /// <summary>The seed given at construction, or null for a random one.</summary>
    public int? Seed { get; }

    /// <summary>Loading, splitting, shuffling and converting data.</summary>
    public DataOperationsCatalog Data { get; }

    /// <summary>Transforms (conversions here; text transforms are added by other assemblies as extensions).</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>Binary classification trainers and evaluation.</summary>
    public BinaryClassificationCatalog BinaryClassification { get; }

    /// <summary>Multiclass classification trainers and evaluation.</summary>
    public MulticlassClassificationCatalog MulticlassClassification { get; }

    /// <summary>Saving, loading and using models.</summary>
    public ModelOperationsCatalog Model { get; }

    /// <summary>
    /// A seed for one component, drawn from the context's own generator: the same context seed gives the same
    /// sequence of component seeds. Components that take no explicit seed use this.
    /// </summary>
    public int NextSeed()
    {
        lock (_seedLock) return _seeds.Next();
    }
}

/// <summary>Base of the catalogs: gives extension methods in other assemblies the context (seed and all).</summary>
public abstract class CatalogBase
{
    /// <summary>A catalog of <paramref name="context"/>.</summary>
    protected CatalogBase(TransformersContext context) => Context = context;

    /// <summary>The context this catalog belongs to.</summary>
    public TransformersContext Context { get; }
}
