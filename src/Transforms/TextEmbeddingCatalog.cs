using Microsoft.ML;
using MLNet.Transformers.Transforms;

namespace MLNet.Transformers;

/// <summary>
/// The featurizer's entries in <c>mlContext.Transforms.Text</c>: sentence embeddings from a transformer checkpoint,
/// and tokenization into a transformer's inputs.
/// </summary>
/// <remarks>
/// The embedding is computed whenever a cursor reads it: put <c>AppendCacheCheckpoint(mlContext)</c> between
/// <c>ApplyTextEmbedding</c> and a trainer that reads its data more than once (SDCA, L-BFGS, ...), or every pass
/// embeds every row again.
/// </remarks>
public static class TextEmbeddingCatalog
{
    /// <summary>
    /// Adds <paramref name="outputColumnName"/>, the sentence embedding (a known-size float vector) of the text column
    /// <paramref name="inputColumnName"/>, with the checkpoint at <paramref name="modelPath"/> (a Hugging Face
    /// checkpoint directory) and the checkpoint's own pooling, normalisation and length.
    /// </summary>
    public static TextEmbeddingEstimator ApplyTextEmbedding(this TransformsCatalog.TextTransforms catalog, string outputColumnName,
        string inputColumnName, string modelPath) =>
        catalog.ApplyTextEmbedding(outputColumnName, inputColumnName, new TextEmbeddingOptions { ModelPath = modelPath });

    /// <summary>
    /// Adds <paramref name="outputColumnName"/>, the sentence embedding (a known-size float vector) of the text column
    /// <paramref name="inputColumnName"/>, or of the pair it forms with <paramref name="pairColumnName"/>, as
    /// <paramref name="options"/> say.
    /// </summary>
    public static TextEmbeddingEstimator ApplyTextEmbedding(this TransformsCatalog.TextTransforms catalog, string outputColumnName,
        string inputColumnName, TextEmbeddingOptions options, string? pairColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TextEmbeddingEstimator(outputColumnName, inputColumnName, options, pairColumnName);
    }

    /// <summary>
    /// Adds the token ids of the text column <paramref name="inputColumnName"/> (or of its pair with
    /// <paramref name="pairColumnName"/>) as <paramref name="outputColumnName"/>, with attention mask and token type ids
    /// columns: the inputs of a transformer encoder, special tokens included; not padded, unless
    /// <see cref="TextTokenizingOptions.PadToMaximumTokens"/> pads them to a known size for <c>ApplyOnnxModel</c>.
    /// </summary>
    public static TextTokenizingEstimator TokenizeForTransformer(this TransformsCatalog.TextTransforms catalog, string outputColumnName,
        string inputColumnName, TextTokenizingOptions options, string? pairColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TextTokenizingEstimator(outputColumnName, inputColumnName, options, pairColumnName);
    }
}
