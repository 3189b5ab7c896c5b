using MLNet.Transformers.Models.Attention;

namespace MLNet.Transformers.Models.Tests.Attention;

[TestClass]
public sealed class AttentionMapsTests
{
    [TestMethod]
    public void MapsIndexLayerHeadQueryKeyRowMajor()
    {
        // (L=2, H=3, Q=1, K=2): weight = 10·layer + head + key/10.
        var weights = new float[2 * 3 * 1 * 2];
        for (var i = 0; i < weights.Length; i++) weights[i] = 10 * (i / 6) + i / 2 % 3 + i % 2 / 10f;
        var maps = new AttentionMaps(["a", "b"], ["context"], 2, 3, weights);

        Assert.AreEqual(12.1f, maps[1, 2, 0, 1]);
        CollectionAssert.AreEqual(new[] { 11f, 11.1f }, maps.Map(1, 1).ToArray());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => maps.Map(2, 0).ToArray());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ = maps[0, 0, 1, 0]);
    }

    [TestMethod]
    public void WeightsOfTheWrongCountAreRejected()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new AttentionMaps(["a", "b"], ["a", "b"], 1, 2, new float[7]));
        StringAssert.Contains(error.Message, "expected L·H·Q·K = 8");
    }

    [TestMethod]
    public void SelfAttentionStacksTheLayers()
    {
        var maps = AttentionMaps.SelfAttention(["x"], 2, [[0.25f, 0.75f], [1f, 0.5f]]);
        Assert.AreEqual(2, maps.Layers);
        Assert.AreSame(maps.Tokens, maps.Queries);
        CollectionAssert.AreEqual(new[] { 0.25f, 0.75f, 1f, 0.5f }, maps.Weights.ToArray());
    }

    [TestMethod]
    public void WeightsOverTokensAreOneRow()
    {
        var maps = AttentionMaps.OverTokens(["a", "b", "c"], [0.2f, 0.3f, 0.5f]);
        CollectionAssert.AreEqual(new[] { AttentionMaps.DefaultContextLabel }, maps.Queries.ToArray());
        Assert.AreEqual(0.3f, maps[0, 0, 0, 1]);
        Assert.ThrowsExactly<ArgumentException>(() => AttentionMaps.OverTokens(["a"], [0.5f, 0.5f]));
    }
}
