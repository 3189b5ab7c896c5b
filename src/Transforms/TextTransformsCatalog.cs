using MLNet.Transformers.Data;

namespace MLNet.Transformers.Transforms;

/// <summary>The featurizer's entries in <c>context.Transforms.Text</c>: embeddings and tokenization.</summary>
public static class TextTransformsCatalog
{
    /// <summary>
    /// Adds <paramref name="outputColumnName"/>, the sentence embedding (a float vector) of the text column
    /// <paramref name="inputColumnName"/>, or of the pair it forms with <paramref name="pairColumnName"/>.
    /// </summary>
    public static TextEmbeddingEstimator ApplyTextEmbedding(this TransformsCatalog.TextTransforms catalog, string outputColumnName,
        string inputColumnName, TextEmbeddingOptions options, string? pairColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TextEmbeddingEstimator(outputColumnName, inputColumnName, options, pairColumnName);
    }

    /// <summary>Adds the sentence embedding of <paramref name="inputColumnName"/> with the checkpoint in <paramref name="modelDirectory"/> and its defaults.</summary>
    public static TextEmbeddingEstimator ApplyTextEmbedding(this TransformsCatalog.TextTransforms catalog, string outputColumnName,
        string inputColumnName, string modelDirectory) =>
        catalog.ApplyTextEmbedding(outputColumnName, inputColumnName, new TextEmbeddingOptions { ModelDirectory = modelDirectory });

    /// <summary>
    /// Adds the token ids of the text column <paramref name="inputColumnName"/> (or of its pair with
    /// <paramref name="pairColumnName"/>) as <paramref name="outputColumnName"/>, with attention mask and type ids columns.
    /// </summary>
    public static TextTokenizingEstimator TokenizeText(this TransformsCatalog.TextTransforms catalog, string outputColumnName,
        string inputColumnName, TextTokenizingOptions options, string? pairColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TextTokenizingEstimator(outputColumnName, inputColumnName, options, pairColumnName);
    }
}
