using MLNet.Transformers.Models.Decoder;

namespace MLNet.Transformers.Models.Tests.Decoder;

/// <summary>GPT2LMHeadModel against the PyTorch reference written from Hugging Face's semantics: logits, loss, gradients.</summary>
[TestClass]
public sealed class Gpt2ReferenceTests
{
    [TestMethod]
    public void LogitsMatchPyTorch()
    {
        using var reference = new Gpt2Reference();
        var model = Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory);

        var logits = model.Forward(reference.InputIds, reference.BatchSize, training: false);

        ReferenceCase.AssertMatches(reference.Expected, "logits", logits.Span);
    }

    [TestMethod]
    public void ShiftedCausalLossAndEveryParameterGradientMatchPyTorch()
    {
        using var reference = new Gpt2Reference();
        var model = new Gpt2LMHeadModel(reference.WithoutDropout());
        model.LoadWeights(Gpt2Reference.Directory).EnsureComplete();

        var loss = model.ForwardBackward(reference.InputIds, reference.BatchSize, reference.Labels);

        ReferenceCase.AssertMatches(reference.Expected, "logits", model.Forward(reference.InputIds, reference.BatchSize, training: false).Span);
        ReferenceCase.AssertMatches(reference.Expected, "loss", [loss]);
        ReferenceCase.AssertGradientsMatch(reference.Expected, model.Parameters);
        Assert.IsFalse(model.Parameters.Any(p => p.Name.StartsWith("lm_head", StringComparison.Ordinal)), "the head is tied to transformer.wte");
    }

    [TestMethod]
    public void TrainingWithDropoutDiffersFromInferenceAndIsReproducibleFromTheSeed()
    {
        using var reference = new Gpt2Reference();
        float[] Logits(ulong seed)
        {
            var model = new Gpt2LMHeadModel(reference.Config, dropoutSeed: seed);
            model.LoadWeights(Gpt2Reference.Directory).EnsureComplete();
            return model.Forward(reference.InputIds, reference.BatchSize, training: true).Span.ToArray();
        }

        CollectionAssert.AreEqual(Logits(1), Logits(1));
        CollectionAssert.AreNotEqual(Logits(1), Logits(2));
    }
}
