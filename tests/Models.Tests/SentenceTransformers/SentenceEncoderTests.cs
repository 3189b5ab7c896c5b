using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Models.SentenceTransformers;

namespace MLNet.Transformers.Models.Tests.SentenceTransformers;

[TestClass]
public sealed class SentenceEncoderTests
{
    [TestMethod]
    public void SavedSentenceTransformerDirectoryLoadsBackWithItsModules()
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        var encoder = new SentenceEncoder(BertModel.FromPretrained(reference.Directory), new SentenceTransformerConfig
        {
            MaxSeqLength = 12, Normalize = true,
            Pooling = new PoolingConfig { WordEmbeddingDimension = 128, Modes = [PoolingMode.Mean] },
        });
        using var directory = ModelFixtures.Temporary();

        encoder.SavePretrained(directory.Path);
        var loaded = SentenceEncoder.FromPretrained(directory.Path);

        Assert.AreEqual((128, true, 12), (loaded.Dimension, loaded.Modules.Normalize, loaded.Modules.MaxSeqLength));
        Assert.IsNull(loaded.Encoder.Pooler);
        reference.AssertMatches("pool.mean.normalized", loaded.Encode(reference.Batch).Span, 1e-5);
    }

    [TestMethod]
    public void PlainCheckpointGetsMeanPoolingWithoutNormalization()
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        var encoder = SentenceEncoder.FromPretrained(reference.Directory);

        Assert.IsFalse(encoder.Modules.Normalize);
        reference.AssertMatches("pool.mean", encoder.Encode(reference.Batch).Span, 1e-5);
    }
}
