using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Models.SentenceTransformers;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Models.Tests.SentenceTransformers;

[TestClass]
public sealed class SentenceTransformerConfigTests
{
    [TestMethod]
    public void ReadsTheAllMiniLmModuleStack()
    {
        var directory = TestPaths.SharedPath("models", "all-MiniLM-L6-v2-no-weights");
        Assert.IsTrue(SentenceTransformerConfig.IsSentenceTransformer(directory));

        var config = SentenceTransformerConfig.Load(directory);

        Assert.AreEqual("", config.TransformerPath);
        Assert.AreEqual(256, config.MaxSeqLength);
        Assert.IsFalse(config.DoLowerCase);
        CollectionAssert.AreEqual(new[] { PoolingMode.Mean }, config.Pooling.Modes.ToArray());
        Assert.AreEqual(384, config.Pooling.SentenceEmbeddingDimension);
        Assert.IsTrue(config.Normalize);
    }

    [TestMethod]
    public void SaveThenLoadGivesTheSameStack()
    {
        var original = new SentenceTransformerConfig
        {
            MaxSeqLength = 128, DoLowerCase = true, Normalize = true,
            Pooling = new PoolingConfig { WordEmbeddingDimension = 64, Modes = [PoolingMode.MeanSqrtLen, PoolingMode.Cls] },
        };
        using var directory = ModelFixtures.Temporary();
        original.Save(directory.Path);

        var copy = SentenceTransformerConfig.Load(directory.Path);
        Assert.AreEqual((128, true, true), (copy.MaxSeqLength, copy.DoLowerCase, copy.Normalize));
        CollectionAssert.AreEqual(new[] { PoolingMode.Cls, PoolingMode.MeanSqrtLen }, copy.Pooling.Modes.ToArray());
        Assert.AreEqual(128, copy.Pooling.SentenceEmbeddingDimension);
        Assert.IsTrue(Directory.Exists(Path.Combine(directory.Path, "2_Normalize")));
    }

    [TestMethod]
    public void UnsupportedPoolingModeIsNamed()
    {
        using var directory = ModelFixtures.Temporary();
        new SentenceTransformerConfig { Pooling = new PoolingConfig { WordEmbeddingDimension = 8 } }.Save(directory.Path);
        var poolingFile = Path.Combine(directory.Path, "1_Pooling", "config.json");
        File.WriteAllText(poolingFile, File.ReadAllText(poolingFile).Replace("\"pooling_mode_lasttoken\": false", "\"pooling_mode_lasttoken\": true"));

        var error = Assert.ThrowsExactly<InvalidDataException>(() => SentenceTransformerConfig.Load(directory.Path));
        StringAssert.Contains(error.Message, "pooling_mode_lasttoken");
    }
}
