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

    /// <summary>Serves <paramref name="embedder"/>'s vectors under the model id <paramref name="modelId"/> (default: none).</summary>
    public TextEmbeddingGenerator(TextEmbedder embedder, string? modelId = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        Embedder = embedder;
        Metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, modelId, embedder.Dimension);
    }

    /// <summary>Loads a checkpoint (see <see cref="TextEmbedder.FromPretrained"/>) and serves its vectors, named after its directory.</summary>
    public TextEmbeddingGenerator(TextEmbeddingOptions options)
        : this(TextEmbedder.FromPretrained(options), Path.GetFileName(Path.TrimEndingDirectorySeparator(options.ModelPath)))
    {
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
