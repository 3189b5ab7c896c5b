namespace MLNet.Transformers.Transforms.Tests;

/// <summary>Similarities against their definitions, and top-k against a full sort.</summary>
[TestClass]
public sealed class EmbeddingSearchTests
{
    [TestMethod]
    public void CosineFollowsItsDefinition()
    {
        float[] v = [1f, 2f, -2f];
        Assert.AreEqual(1f, EmbeddingSearch.CosineSimilarity(v, [2f, 4f, -4f]), 1e-6f);
        Assert.AreEqual(-1f, EmbeddingSearch.CosineSimilarity(v, [-1f, -2f, 2f]), 1e-6f);
        Assert.AreEqual(0f, EmbeddingSearch.CosineSimilarity(v, [2f, -1f, 0f]), 1e-6f);
        Assert.AreEqual(0f, EmbeddingSearch.CosineSimilarity(v, [0f, 0f, 0f]));
        Assert.AreEqual(1f * 3 + 2 * 4 + -2 * 5, EmbeddingSearch.DotProduct(v, [3f, 4f, 5f]));
        Assert.ThrowsExactly<ArgumentException>(() => EmbeddingSearch.DotProduct(v, [1f]));
    }

    [TestMethod]
    public void TopKIsTheBestOfAFullSortWithTiesByIndex()
    {
        var embedder = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = EmbedFixture.ModelDirectory });
        var corpus = embedder.Embed(EmbedFixture.Texts);
        var query = embedder.Embed("a good movie");
        float[][] withTie = [.. corpus, corpus[2]];

        var hits = EmbeddingSearch.TopK(query, withTie, k: 5);

        var expected = withTie.Select((c, i) => (Index: i, Score: EmbeddingSearch.CosineSimilarity(query, c)))
            .OrderByDescending(h => h.Score).ThenBy(h => h.Index).Take(5).ToArray();
        CollectionAssert.AreEqual(expected.Select(h => h.Index).ToArray(), hits.Select(h => h.Index).ToArray());
        var dot = EmbeddingSearch.TopK(query, withTie, k: 5, SimilarityMetric.DotProduct);
        CollectionAssert.AreEqual(hits.Select(h => h.Index).ToArray(), dot.Select(h => h.Index).ToArray(), "normalised vectors: dot ranks as cosine");
        Assert.HasCount(withTie.Length, EmbeddingSearch.TopK(query, withTie, k: 100));
        Assert.HasCount(0, EmbeddingSearch.TopK(query, withTie, k: 0));
    }
}
