namespace MLNet.Transformers.Data;

/// <summary>Saving a fitted pipeline to one zip file, loading it back, and making prediction engines.</summary>
public sealed class ModelOperationsCatalog : CatalogBase
{
    internal ModelOperationsCatalog(TransformersContext context) : base(context) { }

    /// <summary>
    /// Saves <paramref name="model"/> and the schema it expects to <paramref name="filePath"/>, atomically: the zip is
    /// written beside the target under a temporary name, flushed to disk and then renamed over it, so a crash leaves
    /// either the old file or the complete new one.
    /// </summary>
    public void Save(ITransformer model, DataViewSchema inputSchema, string filePath)
    {
        var target = Path.GetFullPath(filePath);
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                Save(model, inputSchema, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="model"/> and the schema it expects as a model zip to <paramref name="stream"/>.</summary>
    public void Save(ITransformer model, DataViewSchema inputSchema, Stream stream) => ModelArchiveWriter.Write(stream, model, inputSchema);

    /// <summary>Loads the model at <paramref name="filePath"/>; <paramref name="inputSchema"/> receives the schema it expects.</summary>
    public ITransformer Load(string filePath, out DataViewSchema inputSchema) => Load(filePath, ModelLoadOptions.Default, out inputSchema);

    /// <summary>Loads the model at <paramref name="filePath"/> within the limits of <paramref name="options"/>.</summary>
    public ITransformer Load(string filePath, ModelLoadOptions options, out DataViewSchema inputSchema)
    {
        if (!File.Exists(filePath)) throw new FileNotFoundException($"Model file '{filePath}' does not exist.", filePath);
        using var stream = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        (var model, inputSchema) = ModelArchiveReader.Read(stream, filePath, options);
        return model;
    }

    /// <summary>Loads a model from <paramref name="stream"/> (which must be seekable).</summary>
    public ITransformer Load(Stream stream, out DataViewSchema inputSchema)
    {
        (var model, inputSchema) = ModelArchiveReader.Read(stream, "model stream", ModelLoadOptions.Default);
        return model;
    }

    /// <summary>
    /// An engine predicting one <typeparamref name="TSrc"/> at a time through <paramref name="transformer"/>. Not
    /// thread-safe: use one per thread, or <see cref="CreatePredictionEnginePool{TSrc, TDst}"/>.
    /// </summary>
    public PredictionEngine<TSrc, TDst> CreatePredictionEngine<TSrc, TDst>(ITransformer transformer, bool ignoreMissingColumns = true)
        where TSrc : class where TDst : class, new() =>
        new(Context, transformer, ignoreMissingColumns);

    /// <summary>A thread-safe pool of prediction engines over <paramref name="transformer"/>, for services.</summary>
    public PredictionEnginePool<TSrc, TDst> CreatePredictionEnginePool<TSrc, TDst>(ITransformer transformer, bool ignoreMissingColumns = true)
        where TSrc : class where TDst : class, new() =>
        new(() => CreatePredictionEngine<TSrc, TDst>(transformer, ignoreMissingColumns));
}
