namespace MLNet.Transformers.Models.Tests.Configuration;

[TestClass]
public sealed class BertPresetsTests
{
    [TestMethod]
    [DataRow("tiny", 2, 128, 2, 512)]
    [DataRow("Mini", 4, 256, 4, 1024)]
    [DataRow("small", 4, 512, 8, 2048)]
    public void PresetsHaveTheCompactBertSizes(string name, int layers, int hidden, int heads, int intermediate)
    {
        var config = BertPresets.Create(name, vocabularySize: 1000, maxPositionEmbeddings: 128, padTokenId: 3);
        Assert.AreEqual((layers, hidden, heads, intermediate), (config.NumHiddenLayers, config.HiddenSize,
            config.NumAttentionHeads, config.IntermediateSize));
        Assert.AreEqual((1000, 128, 3), (config.VocabSize, config.MaxPositionEmbeddings, config.PadTokenId));
    }

    [TestMethod]
    public void UnknownNamesAndBadSizesAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => BertPresets.Create("huge", 1000));
        StringAssert.Contains(error.Message, "tiny, mini, small");
        Assert.Throws<InvalidDataException>(() => BertPresets.Create("tiny", 10, padTokenId: 10));
    }
}
