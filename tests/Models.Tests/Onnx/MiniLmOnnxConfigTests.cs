using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Models.Tests.Onnx;

/// <summary>The configuration inferred from the real all-MiniLM-L6-v2 graph against the shared config.json.</summary>
[TestClass]
public sealed class MiniLmOnnxConfigTests
{
    [TestMethod]
    public void InferredConfigEqualsTheSharedConfigJsonInEveryFieldThatShapesTheModel()
    {
        var expected = BertConfig.Load(MiniLmOnnxPackage.SharedCheckpoint);

        var inferred = BertConfig.FromOnnx(MiniLmOnnxPackage.ModelPath);

        Assert.AreEqual(expected.Architecture, inferred.Architecture);
        Assert.AreEqual(expected.VocabSize, inferred.VocabSize);
        Assert.AreEqual(expected.HiddenSize, inferred.HiddenSize);
        Assert.AreEqual(expected.NumHiddenLayers, inferred.NumHiddenLayers);
        Assert.AreEqual(expected.NumAttentionHeads, inferred.NumAttentionHeads);
        Assert.AreEqual(expected.IntermediateSize, inferred.IntermediateSize);
        Assert.AreEqual(expected.MaxPositionEmbeddings, inferred.MaxPositionEmbeddings);
        Assert.AreEqual(expected.TypeVocabSize, inferred.TypeVocabSize);
        Assert.AreEqual(expected.LayerNormEps, inferred.LayerNormEps, "read from the graph's LayerNorm constant, as written in config.json");
        Assert.AreEqual(expected.HiddenAct, inferred.HiddenAct);
        Assert.AreEqual(expected.PadTokenId, inferred.PadTokenId);
        Assert.AreEqual(expected.PositionEmbeddingType, inferred.PositionEmbeddingType);
    }

    [TestMethod]
    public void LoadInfersTheConfigWhenNoConfigJsonIsBesideTheModel()
    {
        var loaded = BertConfig.Load(MiniLmOnnxPackage.ModelPath);

        Assert.AreEqual(12, loaded.NumAttentionHeads);
        Assert.AreEqual(6, loaded.NumHiddenLayers);
    }

    [TestMethod]
    public void AConfigJsonBesideTheModelWins()
    {
        using var directory = ModelFixtures.Temporary();
        var model = directory.File(OnnxCheckpoint.FileName);
        File.CreateSymbolicLink(model, MiniLmOnnxPackage.ModelPath);
        var written = BertConfig.Load(MiniLmOnnxPackage.SharedCheckpoint);
        written.Labels = ["negative", "positive"];
        written.Save(directory.File(BertConfig.FileName));

        var fromFile = BertConfig.Load(model);
        var fromDirectory = BertConfig.Load(directory.Path);

        CollectionAssert.AreEqual(new[] { "negative", "positive" }, fromFile.Labels.ToArray());
        CollectionAssert.AreEqual(new[] { "negative", "positive" }, fromDirectory.Labels.ToArray());
    }

    [TestMethod]
    public void ADirectoryWithOnlyModelOnnxInfersItsConfig()
    {
        using var directory = ModelFixtures.Temporary();
        File.CreateSymbolicLink(directory.File(OnnxCheckpoint.FileName), MiniLmOnnxPackage.ModelPath);

        Assert.AreEqual(384, BertConfig.Load(directory.Path).HiddenSize);
        Assert.IsNull(OnnxCheckpoint.FindTokenizer(directory.File(OnnxCheckpoint.FileName)), "no tokenizer beside it");
    }

    [TestMethod]
    public void TheTokenizerBesideTheModelIsFound()
    {
        Assert.AreEqual(Path.Combine(Path.GetDirectoryName(MiniLmOnnxPackage.ModelPath)!, "vocab.txt"),
            OnnxCheckpoint.FindTokenizer(MiniLmOnnxPackage.ModelPath));
    }
}
