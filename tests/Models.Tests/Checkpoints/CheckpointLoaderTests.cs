using MLNet.Transformers.Models.Checkpoints;

namespace MLNet.Transformers.Models.Tests.Checkpoints;

[TestClass]
public sealed class CheckpointLoaderTests
{
    [TestMethod]
    public void PrefixedCheckpointFillsUnprefixedParametersAndReportsTheRest()
    {
        using var source = CheckpointFiles.Open(ModelFixtures.Folder("roberta"));
        var word = new float[1000 * 64];
        var parameters = new[]
        {
            new ParameterBinding("embeddings.word_embeddings.weight", [1000, 64], word),
            new ParameterBinding("pooler.dense.weight", [64, 64], new float[64 * 64]),
        };

        var report = CheckpointLoader.Load(source, parameters, "roberta.");

        CollectionAssert.AreEqual(new[] { "embeddings.word_embeddings.weight" }, report.Loaded.ToArray());
        CollectionAssert.AreEqual(new[] { "pooler.dense.weight" }, report.Missing.ToArray());
        CollectionAssert.Contains(report.Unexpected.ToList(), "classifier.out_proj.weight");
        CollectionAssert.Contains(report.Unexpected.ToList(), "roberta.encoder.layer.1.output.dense.bias");
        Assert.IsFalse(report.IsExact);
        using var reader = SafetensorsReader.Open(ModelFixtures.File("roberta", "model.safetensors"));
        CollectionAssert.AreEqual(reader.ReadSingle("roberta.embeddings.word_embeddings.weight"), word);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => report.EnsureComplete());
        StringAssert.Contains(error.Message, "missing 1: pooler.dense.weight");
    }

    [TestMethod]
    public void LegacyGammaBetaNamesAndIgnorableBuffersAreMapped()
    {
        using var directory = ModelFixtures.Temporary();
        var path = directory.File("model.safetensors");
        SafetensorsWriter.Write(path,
        [
            new NamedTensor("bert.embeddings.LayerNorm.gamma", [2], new float[] { 3, 4 }),
            new NamedTensor("bert.embeddings.LayerNorm.beta", [2], new float[] { 5, 6 }),
            new NamedTensor("bert.embeddings.position_ids", [1, 2], new float[] { 0, 1 }),
        ]);
        var weight = new float[2];
        var bias = new float[2];
        using var source = CheckpointFiles.Open(directory.Path);

        var report = CheckpointLoader.Load(source,
            [new ParameterBinding("bert.embeddings.LayerNorm.weight", [2], weight), new ParameterBinding("bert.embeddings.LayerNorm.bias", [2], bias)],
            "bert.", name => name.EndsWith("position_ids", StringComparison.Ordinal));

        Assert.IsTrue(report.IsExact, report.ToString());
        CollectionAssert.AreEqual(new[] { "bert.embeddings.position_ids" }, report.Ignored.ToArray());
        CollectionAssert.AreEqual(new float[] { 3, 4 }, weight);
        CollectionAssert.AreEqual(new float[] { 5, 6 }, bias);
    }

    [TestMethod]
    public void ShapeMismatchNamesTheTensorAndBothShapes()
    {
        using var source = CheckpointFiles.Open(ModelFixtures.Folder("roberta"));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => CheckpointLoader.Load(source,
            [new ParameterBinding("embeddings.word_embeddings.weight", [999, 64], new float[999 * 64])], "roberta."));
        StringAssert.Contains(error.Message, "[1000, 64]");
        StringAssert.Contains(error.Message, "[999, 64]");
    }
}
