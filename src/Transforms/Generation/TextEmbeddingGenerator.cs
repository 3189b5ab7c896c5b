using Microsoft.Extensions.AI;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// A <see cref="TextEmbedder"/> as a Microsoft.Extensions.AI <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, so
/// Semantic Kernel and Microsoft.Extensions.AI code use the local model like any embedding service. Embedding runs
/// on the calling thread (CPU-bound); the returned task is already complete.
/// </summary>
public sealed class TextEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name reported in <see cref="Metadata"/>.</summary>
    public const string ProviderName = "MLNet.Transformers";

    private const string OnnxExtension = ".onnx", ConventionalOnnxStem = "model";

    /// <summary>Serves <paramref name="embedder"/>'s vectors under the model id <paramref name="modelId"/> (default: none).</summary>
    public TextEmbeddingGenerator(TextEmbedder embedder, string? modelId = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        Embedder = embedder;
        Metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, modelId, embedder.Dimension);
    }

    /// <summary>
    /// Loads a checkpoint (see <see cref="TextEmbedder.FromPretrained"/>) and serves its vectors, named after it (see
    /// <see cref="ModelIdOf"/>).
    /// </summary>
    public TextEmbeddingGenerator(TextEmbeddingOptions options)
        : this(TextEmbedder.FromPretrained(options), ModelIdOf(options.ModelPath))
    {
    }

    /// <summary>
    /// The model id of a checkpoint path: a directory's name; for an ONNX export, the file's name without its
    /// extension, or, for the conventional <c>model.onnx</c>, its folder's name (<c>all-MiniLM-L6-v2/model.onnx</c> is
    /// <c>all-MiniLM-L6-v2</c>).
    /// </summary>
    public static string ModelIdOf(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        var path = Path.TrimEndingDirectorySeparator(modelPath);
        if (!path.EndsWith(OnnxExtension, StringComparison.OrdinalIgnoreCase)) return Path.GetFileName(path);
        var stem = Path.GetFileNameWithoutExtension(path);
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)));
        return stem.Equals(ConventionalOnnxStem, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(folder) ? folder : stem;
    }

    /// <summary>The model.</summary>
    public TextEmbedder Embedder { get; }

    /// <summary>Provider, model id and vector width.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException"><see cref="EmbeddingGenerationOptions.Dimensions"/> asks for another width than the model's.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } dimensions && dimensions != Embedder.Dimension)
            throw new NotSupportedException($"This model produces {Embedder.Dimension}-dimensional vectors, not {dimensions}.");
        cancellationToken.ThrowIfCancellationRequested();
        var created = DateTimeOffset.UtcNow;
        var modelId = options?.ModelId ?? Metadata.DefaultModelId;
        var vectors = Embedder.Embed([.. values]);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { CreatedAt = created, ModelId = modelId }));
        return Task.FromResult(embeddings);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return Metadata;
        if (serviceType == typeof(TextEmbedder)) return Embedder;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Nothing to release: the model is managed memory.</summary>
    public void Dispose()
    {
    }
}
