using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Heads;

namespace MLNet.Transformers.Models.Tests.Heads;

/// <summary>
/// Masked-LM heads against PyTorch, the decoder tied to the word embeddings: BERT (<c>cls.predictions.*</c>,
/// gelu_new, custom epsilon), RoBERTa (<c>lm_head.*</c>, exact GELU whatever hidden_act says), DistilBERT
/// (<c>vocab_transform</c>, <c>vocab_layer_norm</c>, <c>vocab_projector.bias</c>).
/// </summary>
[TestClass]
public sealed class MaskedLanguageModelReferenceTests
{
    [TestMethod]
    [DataRow("bert-tiny-mlm")]
    [DataRow("roberta-mlm")]
    [DataRow("distilbert-mlm")]
    public void LogitsMatchPyTorch(string fixture)
    {
        using var reference = ReferenceCase.Open(fixture);
        var model = BertForMaskedLM.FromPretrained(reference.Directory);

        var logits = model.Forward(reference.Batch, training: false);

        reference.AssertMatches("logits", logits.Span);
        reference.AssertMatches("last_hidden_state", model.Encoder.Forward(reference.Batch, false).LastHiddenState.Span);
    }

    [TestMethod]
    [DataRow("bert-tiny-mlm")]
    [DataRow("roberta-mlm")]
    [DataRow("distilbert-mlm")]
    public void LossAndEveryParameterGradientMatchPyTorchIncludingTheTiedDecoder(string fixture)
    {
        using var reference = ReferenceCase.Open(fixture, withoutDropout: true);
        var model = new BertForMaskedLM(reference.Config);
        var report = model.LoadWeights(reference.Directory);
        report.EnsureComplete();

        var loss = model.ForwardBackward(reference.Batch, reference.Labels);

        reference.AssertMatches("loss", [loss]);
        reference.AssertGradientsMatch(model.Parameters);
        Assert.IsFalse(model.Parameters.Any(p => p.Name.Contains("decoder", StringComparison.Ordinal) || p.Name == "vocab_projector.weight"));
    }
}
