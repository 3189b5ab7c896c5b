using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.TorchSharp.Tests.Backends;

namespace MLNet.Transformers.TorchSharp.Tests.Decoder;

/// <summary>
/// The same tiny random GPT-2 on the managed engine and on TorchSharp (libtorch on the CPU): logits, the causal-LM
/// loss and every parameter's gradient of a training step (dropout on) agree within 1e-5 relative, for the language
/// model and the classifier; weights trained on either load into the other with the same logits.
/// </summary>
[TestClass]
public sealed class Gpt2AgreementTests
{
    private const int Batch = 2, Tokens = 10;

    /// <summary>Step size of the plain gradient step that makes the saved weights differ from the initial ones.</summary>
    private const float StepSize = 0.05f;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void LanguageModelTrainingStepAgreesOnLeftPaddedSequences()
    {
        var config = Gpt2Pair.Tiny();
        var (managed, torch) = Gpt2Pair.LanguageModels(config);
        var ids = Gpt2Pair.Ids(3, Batch * Tokens, config.VocabSize);
        var mask = Gpt2Pair.Mask(Tokens, left: true, Tokens, 7);
        var dLogits = BackendPair.Random(5, Batch * Tokens, config.VocabSize);
        for (var i = 0; i < mask.Length; i++)
        {
            if (mask[i] == 0f) dLogits.Span.Slice(i * config.VocabSize, config.VocabSize).Clear(); // padding is scored by no loss
        }

        var expected = managed.Forward(ids, Batch, training: true, mask).Span.ToArray();
        var actual = torch.Forward(ids, Batch, training: true, mask).Span.ToArray();
        managed.Backward(dLogits);
        torch.Backward(dLogits);

        var error = BackendPair.RelativeError(Gpt2Pair.RealRows(actual, mask, config.VocabSize), Gpt2Pair.RealRows(expected, mask, config.VocabSize));
        Report(error, torch.Parameters, managed.Parameters);
        Assert.IsLessThan(BackendPair.Tolerance, error);
        BackendPair.AssertGradientsAgree(torch.Parameters, managed.Parameters);
    }

    [TestMethod]
    public void CausalLanguageModelLossAndGradientsAgree()
    {
        var config = Gpt2Pair.Tiny();
        var (managed, torch) = Gpt2Pair.LanguageModels(config);
        var ids = Gpt2Pair.Ids(4, Batch * Tokens, config.VocabSize);

        var expected = managed.ForwardBackward(ids, Batch, ids);
        var actual = torch.ForwardBackward(ids, Batch, ids);

        Assert.AreEqual(expected, actual, BackendPair.Tolerance * expected);
        BackendPair.AssertGradientsAgree(torch.Parameters, managed.Parameters);
        Assert.AreEqual(managed.Loss(ids, Batch, ids).Loss, torch.Loss(ids, Batch, ids).Loss, BackendPair.Tolerance * expected);
    }

    [TestMethod]
    public void ClassifierTrainingStepAgreesOnRightPaddedSequences()
    {
        var config = Gpt2Pair.Tiny(labels: ["negative", "neutral", "positive"]);
        var managed = new Gpt2ForSequenceClassification(config, Gpt2Pair.Seed);
        var torch = new Gpt2ForSequenceClassification(config, Gpt2Pair.Seed, new TorchBackend(TorchDevices.Cpu));
        managed.Initialize(Gpt2Pair.Seed);
        torch.Initialize(Gpt2Pair.Seed);
        const int batch = 3;
        var ids = Gpt2Pair.Ids(6, batch * Tokens, config.VocabSize);
        var mask = Gpt2Pair.Mask(Tokens, left: false, 7, Tokens, 4);
        var dLogits = BackendPair.Random(7, batch, managed.ClassCount);

        var expected = managed.Forward(ids, batch, mask, training: true).Span.ToArray();
        var actual = torch.Forward(ids, batch, mask, training: true).Span.ToArray();
        managed.Backward(dLogits);
        torch.Backward(dLogits);

        var error = BackendPair.RelativeError(actual, expected);
        Report(error, torch.Parameters, managed.Parameters);
        Assert.IsLessThan(BackendPair.Tolerance, error);
        BackendPair.AssertGradientsAgree(torch.Parameters, managed.Parameters);
    }

    [TestMethod]
    public void WeightsTrainedOnEitherBackendLoadIntoTheOther()
    {
        var config = Gpt2Pair.Tiny();
        var (managed, torch) = Gpt2Pair.LanguageModels(config);
        var ids = Gpt2Pair.Ids(8, Batch * Tokens, config.VocabSize);
        var mask = Gpt2Pair.Mask(Tokens, left: true, 5, Tokens);
        foreach (var (trained, other) in new[] { (torch, new Gpt2LMHeadModel(config)), (managed, new Gpt2LMHeadModel(config, backend: new TorchBackend(TorchDevices.Cpu))) })
        {
            trained.ForwardBackward(ids, Batch, ids);
            foreach (var parameter in trained.Parameters) Step(parameter);
            var directory = Directory.CreateTempSubdirectory("gpt2-backends-").FullName;
            try
            {
                trained.SavePretrained(directory);
                other.LoadWeights(directory).EnsureComplete();
                var expected = trained.Forward(ids, Batch, training: false, mask).Span.ToArray();
                var actual = other.Forward(ids, Batch, training: false, mask).Span.ToArray();
                var error = BackendPair.RelativeError(Gpt2Pair.RealRows(actual, mask, config.VocabSize), Gpt2Pair.RealRows(expected, mask, config.VocabSize));
                Assert.IsLessThan(BackendPair.Tolerance, error, $"trained on {trained.Backend.Device}, loaded on {other.Backend.Device}");
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private void Report(double logits, IReadOnlyList<Parameter> torch, IReadOnlyList<Parameter> managed)
    {
        var (name, error) = BackendPair.WorstGradientError(torch, managed);
        TestContext.WriteLine($"logits {logits:E2}, worst gradient {name} {error:E2}");
    }

    /// <summary>value −= step · gradient, so that the saved weights are not the initial ones.</summary>
    private static void Step(Parameter parameter)
    {
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(parameter.Gradient.Span, -StepSize, parameter.Value.Span, parameter.Value.Span);
    }
}
