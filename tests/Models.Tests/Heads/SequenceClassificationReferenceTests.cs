using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Heads;

namespace MLNet.Transformers.Models.Tests.Heads;

/// <summary>BERT, RoBERTa and DistilBERT classifiers against the PyTorch reference on random-weight checkpoints.</summary>
[TestClass]
public sealed class SequenceClassificationReferenceTests
{
    [TestMethod]
    [DataRow("bert-tiny")]
    [DataRow("roberta")]
    [DataRow("distilbert")]
    public void InferenceForwardMatchesPyTorch(string fixture)
    {
        using var reference = ReferenceCase.Open(fixture);
        var model = BertForSequenceClassification.FromPretrained(reference.Directory);

        var logits = model.Forward(reference.Batch, training: false);
        var encoded = model.Encoder.Forward(reference.Batch, training: false);

        reference.AssertMatches("last_hidden_state", encoded.LastHiddenState.Span);
        if (encoded.PoolerOutput is not null) reference.AssertMatches("pooler_output", encoded.PoolerOutput.Span);
        reference.AssertMatches("logits", model.Forward(reference.Batch, training: false).Span);
        Assert.AreEqual(fixture == "bert-tiny", encoded.PoolerOutput is not null);
        Assert.AreEqual(reference.Config.Labels.Count, logits.Size(1));
    }

    [TestMethod]
    [DataRow("bert-tiny", true)]
    [DataRow("roberta", true)]
    [DataRow("distilbert", true)]
    [DataRow("bert-tiny", false)]
    public void InferenceSessionGivesTheBitsOfTheModelsForward(string fixture, bool packWeights)
    {
        using var reference = ReferenceCase.Open(fixture);
        var model = BertForSequenceClassification.FromPretrained(reference.Directory);
        var expected = model.Forward(reference.Batch, training: false).Span.ToArray();

        var session = model.CreateInferenceSession(packWeights).CreateSibling();
        var logits = session.Forward(reference.Batch);

        CollectionAssert.AreEqual(expected, logits.Span.ToArray());
        reference.AssertMatches("logits", logits.Span);
    }

    [TestMethod]
    [DataRow("bert-tiny")]
    [DataRow("roberta")]
    [DataRow("distilbert")]
    public void LossAndEveryParameterGradientMatchPyTorch(string fixture)
    {
        using var reference = ReferenceCase.Open(fixture, withoutDropout: true);
        var model = new BertForSequenceClassification(reference.Config);
        model.LoadWeights(reference.Directory).EnsureComplete();

        var loss = model.ForwardBackward(reference.Batch, reference.Labels);

        reference.AssertMatches("loss", [loss]);
        reference.AssertGradientsMatch(model.Parameters);
    }

    [TestMethod]
    [DataRow("bert-tiny")]
    [DataRow("roberta")]
    [DataRow("distilbert")]
    public void SavePretrainedReproducesTheReferenceCheckpointByteForByte(string fixture)
    {
        using var reference = ReferenceCase.Open(fixture);
        var model = BertForSequenceClassification.FromPretrained(reference.Directory);
        using var directory = ModelFixtures.Temporary();

        model.SavePretrained(directory.Path);

        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(reference.Directory, "model.safetensors")),
            File.ReadAllBytes(directory.File("model.safetensors")));
        var reloaded = BertForSequenceClassification.FromPretrained(directory.Path);
        CollectionAssert.AreEqual(model.Forward(reference.Batch, false).Span.ToArray(), reloaded.Forward(reference.Batch, false).Span.ToArray());
    }
}
