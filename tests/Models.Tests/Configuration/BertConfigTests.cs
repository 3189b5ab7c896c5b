using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Models.Tests.Configuration;

[TestClass]
public sealed class BertConfigTests
{
    [TestMethod]
    public void ReadsTheAllMiniLmConfigAsItIs()
    {
        var config = BertConfig.Load(TestPaths.SharedPath("models", "all-MiniLM-L6-v2-no-weights"));

        Assert.AreEqual(EncoderArchitecture.Bert, config.Architecture);
        Assert.AreEqual((30522, 384, 6, 12, 1536), (config.VocabSize, config.HiddenSize, config.NumHiddenLayers, config.NumAttentionHeads, config.IntermediateSize));
        Assert.AreEqual(32, config.HeadSize);
        Assert.AreEqual(1e-12, config.LayerNormEps);
        Assert.AreEqual(ActivationKind.Gelu, config.HiddenAct);
        Assert.AreEqual(PositionEmbeddingType.Absolute, config.PositionEmbeddingType);
        Assert.AreEqual(512, config.MaxSequenceLength);
    }

    [TestMethod]
    public void RobertaPositionsStartAfterThePaddingId()
    {
        var config = BertConfig.Load(ModelFixtures.Folder("roberta"));

        Assert.AreEqual(EncoderArchitecture.Roberta, config.Architecture);
        Assert.AreEqual(2, config.FirstPositionId);
        Assert.AreEqual(22, config.MaxSequenceLength);
        Assert.AreEqual(1e-5, config.LayerNormEps);
    }

    [TestMethod]
    public void DistilBertNamesAreTranslatedAndWrittenBack()
    {
        var config = BertConfig.Load(ModelFixtures.Folder("distilbert"));

        Assert.AreEqual(EncoderArchitecture.DistilBert, config.Architecture);
        Assert.AreEqual((64, 2, 4, 128), (config.HiddenSize, config.NumHiddenLayers, config.NumAttentionHeads, config.IntermediateSize));
        Assert.AreEqual(ActivationKind.Relu, config.HiddenAct);
        Assert.AreEqual(0, config.TypeVocabSize);
        Assert.AreEqual(0.2, config.ClassifierDropout);
        Assert.AreEqual(4, config.Labels.Count);
        StringAssert.Contains(config.ToJson(), "\"n_layers\": 2");
        Assert.IsFalse(config.ToJson().Contains("num_hidden_layers"));
    }

    [TestMethod]
    public void SaveThenLoadKeepsEveryFieldIncludingOnesItDoesNotModel()
    {
        var original = BertConfig.Load(ModelFixtures.Folder("bert-tiny"));
        original.PositionEmbeddingType = PositionEmbeddingType.Sinusoidal;
        var copy = BertConfig.FromJson(original.ToJson());

        Assert.AreEqual(original.ToJson(), copy.ToJson());
        CollectionAssert.AreEqual(new[] { "negative", "neutral", "positive" }, copy.Labels.ToArray());
        Assert.AreEqual(PositionEmbeddingType.Sinusoidal, copy.PositionEmbeddingType);
        StringAssert.Contains(copy.ToJson(), "BertForSequenceClassification");
    }

    [TestMethod]
    [DataRow("""{"model_type": "gpt2"}""", "model_type")]
    [DataRow("""{"hidden_size": "big"}""", "hidden_size")]
    [DataRow("""{"hidden_size": 100, "num_attention_heads": 12}""", "not a multiple")]
    [DataRow("""{"hidden_act": "swish"}""", "hidden_act")]
    [DataRow("""{"position_embedding_type": "relative_key"}""", "position_embedding_type")]
    [DataRow("""{"num_hidden_layers": 0}""", "num_hidden_layers")]
    [DataRow("""{"id2label": {"0": "a", "5": "b"}}""", "id2label")]
    [DataRow("""{"vocab_size": 10, "pad_token_id": 10}""", "pad_token_id")]
    [DataRow("""[1]""", "JSON object")]
    public void BadFieldsAreReportedByName(string json, string field)
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() => BertConfig.FromJson(json, "my/config.json"));
        StringAssert.Contains(error.Message, field);
        StringAssert.Contains(error.Message, "my/config.json");
    }

    [TestMethod]
    public void XlmRobertaIsARobertaAndKeepsItsModelType()
    {
        var config = BertConfig.FromJson("""{"model_type": "xlm-roberta", "pad_token_id": 1, "vocab_size": 250002}""");

        Assert.AreEqual(EncoderArchitecture.Roberta, config.Architecture);
        StringAssert.Contains(config.ToJson(), "\"model_type\": \"xlm-roberta\"");
    }

    [TestMethod]
    public void MissingFieldsTakeTheHuggingFaceDefaults()
    {
        var config = BertConfig.FromJson("{}");
        Assert.AreEqual((30522, 768, 12, 12, 3072, 512, 2), (config.VocabSize, config.HiddenSize, config.NumHiddenLayers,
            config.NumAttentionHeads, config.IntermediateSize, config.MaxPositionEmbeddings, config.TypeVocabSize));
        Assert.AreEqual(2, config.Labels.Count);
    }

    [TestMethod]
    public void ArchitecturesRoundTripAndAreCheckedForType()
    {
        var config = new BertConfig { Architectures = ["BertForMaskedLM"] };
        var read = BertConfig.FromJson(config.ToJson());
        CollectionAssert.AreEqual(new[] { "BertForMaskedLM" }, read.Architectures!.ToArray());
        Assert.IsNull(BertConfig.FromJson("{}").Architectures);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => BertConfig.FromJson("""{"architectures": [1]}""")).Message, "architectures");
    }
}
