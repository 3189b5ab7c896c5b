using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;

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

    [TestMethod]
    [DataRow("bert-tiny-mlm")]
    [DataRow("roberta-mlm")]
    [DataRow("distilbert-mlm")]
    public void AtTheLabelledPositionsOnlyLogitsLossAndGradientsMatchPyTorch(string fixture)
    {
        using var reference = ReferenceCase.Open(fixture, withoutDropout: true);
        var model = new BertForMaskedLM(reference.Config);
        model.LoadWeights(reference.Directory).EnsureComplete();
        var ignore = new CrossEntropyOptions().IgnoreIndex;
        var positions = Enumerable.Range(0, reference.Labels.Length).Where(i => reference.Labels[i] != ignore).ToArray();
        var targets = positions.Select(i => reference.Labels[i]).ToArray();
        var v = reference.Config.VocabSize;
        Assert.IsTrue(positions.Length > 0 && positions.Length < reference.Labels.Length, "the fixture predicts some tokens, not all");

        var logits = model.Forward(reference.Batch, positions, training: true); // (P, V)
        var expectedLogits = reference.Expected.ReadSingle("logits");
        var expectedRows = positions.SelectMany(p => expectedLogits.Skip(p * v).Take(v)).ToArray();
        Assert.IsTrue(ReferenceCase.RelativeError(logits.Span, expectedRows) <= ReferenceCase.Tolerance, "logits at the positions");
        var probabilities = new float[positions.Length * v];
        var dLogits = new Tensor(positions.Length, v);
        var loss = CrossEntropy.Forward(logits.Span, targets, probabilities, v);
        CrossEntropy.Backward(probabilities, targets, dLogits.Span, v);
        model.Backward(dLogits);

        reference.AssertMatches("loss", [loss]);
        reference.AssertGradientsMatch(model.Parameters);
    }

    [TestMethod]
    public void APositionOutsideTheBatchIsRefusedByName()
    {
        using var reference = ReferenceCase.Open("bert-tiny-mlm");
        var model = new BertForMaskedLM(reference.Config);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Forward(reference.Batch, [reference.Batch.TokenCount], training: false));
        StringAssert.Contains(error.Message, "positions");
    }
}
