using System.Numerics.Tensors;

namespace MLNet.Transformers.Transforms;

/// <summary>How two embeddings are compared.</summary>
public enum SimilarityMetric
{
    /// <summary>cos(a, b) = a·b / (‖a‖‖b‖), in [-1, 1].</summary>
    Cosine,

    /// <summary>a·b; equal to cosine for normalised vectors, and cheaper.</summary>
    DotProduct,
}

/// <summary>One search result: the candidate's index and its score (higher is more similar).</summary>
/// <param name="Index">Position of the candidate in the list searched.</param>
/// <param name="Score">Its similarity to the query.</param>
public readonly record struct SearchHit(int Index, float Score);

/// <summary>Similarity of embeddings and exact top-k search over a list of them.</summary>
public static class EmbeddingSearch
{
    /// <summary>cos(a, b); 0 when either vector is zero.</summary>
    /// <exception cref="ArgumentException">The vectors differ in length.</exception>
    public static float CosineSimilarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        RequireSameLength(a, b);
        var norms = TensorPrimitives.Norm(a) * TensorPrimitives.Norm(b);
        return norms == 0f ? 0f : TensorPrimitives.Dot(a, b) / norms;
    }

    /// <summary>a·b.</summary>
    /// <exception cref="ArgumentException">The vectors differ in length.</exception>
    public static float DotProduct(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        RequireSameLength(a, b);
        return TensorPrimitives.Dot(a, b);
    }

    /// <summary>The similarity of <paramref name="a"/> and <paramref name="b"/> under <paramref name="metric"/>.</summary>
    public static float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b, SimilarityMetric metric) =>
        metric == SimilarityMetric.Cosine ? CosineSimilarity(a, b) : DotProduct(a, b);

    /// <summary>
    /// The <paramref name="k"/> candidates most similar to <paramref name="query"/>, best first (ties: lower index
    /// first); fewer when there are fewer candidates.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is negative.</exception>
    public static IReadOnlyList<SearchHit> TopK(ReadOnlySpan<float> query, IReadOnlyList<ReadOnlyMemory<float>> candidates, int k,
        SimilarityMetric metric = SimilarityMetric.Cosine)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var best = new PriorityQueue<SearchHit, (float Score, int NegativeIndex)>(k + 1); // min-heap on (score, -index)
        for (var i = 0; i < candidates.Count && k > 0; i++)
        {
            var hit = new SearchHit(i, Similarity(query, candidates[i].Span, metric));
            best.Enqueue(hit, (hit.Score, -i));
            if (best.Count > k) best.Dequeue();
        }
        var hits = new SearchHit[best.Count];
        for (var i = hits.Length - 1; i >= 0; i--) hits[i] = best.Dequeue();
        return hits;
    }

    /// <summary>Top-k search over <see cref="float"/> arrays (see the <see cref="ReadOnlyMemory{T}"/> overload).</summary>
    public static IReadOnlyList<SearchHit> TopK(ReadOnlySpan<float> query, IReadOnlyList<float[]> candidates, int k,
        SimilarityMetric metric = SimilarityMetric.Cosine) =>
        TopK(query, [.. candidates.Select(c => (ReadOnlyMemory<float>)c)], k, metric);

    private static void RequireSameLength(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"The vectors differ in length ({a.Length} and {b.Length}).");
    }
}
