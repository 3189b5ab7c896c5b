using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Heads;

namespace MLNet.Transformers.Models.Tests.Encoder;

/// <summary>BERT masked-LM (decoder tied to the word embeddings, gelu_new, custom epsilon) against PyTorch.</summary>
[TestClass]
public sealed class MaskedLanguageModelReferenceTests
{
    private const string Fixture = "bert-tiny-mlm";

    [TestMethod]
    public void LogitsMatchPyTorch()
    {
        using var reference = ReferenceCase.Open(Fixture);
        var model = BertForMaskedLM.FromPretrained(reference.Directory);

        var logits = model.Forward(reference.Batch, training: false);

        reference.AssertMatches("logits", logits.Span);
        reference.AssertMatches("last_hidden_state", model.Encoder.Forward(reference.Batch, false).LastHiddenState.Span);
    }

    [TestMethod]
    public void LossAndEveryParameterGradientMatchPyTorchIncludingTheTiedDecoder()
    {
        using var reference = ReferenceCase.Open(Fixture, withoutDropout: true);
        var model = new BertForMaskedLM(reference.Config);
        var report = model.LoadWeights(reference.Directory);
        report.EnsureComplete();

        var loss = model.ForwardBackward(reference.Batch, reference.Labels);

        reference.AssertMatches("loss", [loss]);
        reference.AssertGradientsMatch(model.Parameters);
        Assert.IsFalse(model.Parameters.Any(p => p.Name.Contains("decoder", StringComparison.Ordinal)));
    }
}
