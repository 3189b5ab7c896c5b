using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.TorchSharp.Tests.Decoder;

namespace MLNet.Transformers.TorchSharp.Tests.MixedPrecision;

/// <summary>
/// A causal-LM training step (dropout on) of a tiny random GPT-2 in bfloat16 mixed precision against the same step in
/// single precision, both on libtorch: the loss and every parameter's gradient (through the Conv1D products, causal
/// attention and the LM head tied to the token embeddings) stay within bfloat16's error, yet differ by more than
/// single precision's rounding.
/// </summary>
[TestClass]
public sealed class Gpt2MixedPrecisionStepTests
{
    private const int Batch = 2, Tokens = 12;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void LossAndGradientsStayWithinBFloat16Error()
    {
        var config = Gpt2Pair.Tiny();
        var ids = Gpt2Pair.Ids(4, Batch * Tokens, config.VocabSize);
        var (single, singleLoss) = Step(config, TrainingPrecision.Float32, ids);
        var (mixed, mixedLoss) = Step(config, TrainingPrecision.BFloat16, ids);

        var loss = Math.Abs(mixedLoss - singleLoss) / singleLoss;
        var gradients = MixedPrecisionError.Gradients(mixed.Parameters, single.Parameters);
        TestContext.WriteLine($"GPT-2 bf16 vs fp32: loss {singleLoss:F6} vs {mixedLoss:F6} ({loss:E2} relative), {MixedPrecisionError.Describe(gradients)}");
        Assert.IsLessThan(MixedPrecisionError.LogitsBound, loss);
        MixedPrecisionError.AssertGradientsClose(gradients);
        Assert.IsGreaterThan(MixedPrecisionError.LeastDifference, gradients[0].Error, "the products ran in bfloat16");
    }

    private static (Gpt2LMHeadModel Model, float Loss) Step(Gpt2Config config, TrainingPrecision precision, int[] ids)
    {
        var model = new Gpt2LMHeadModel(config, Gpt2Pair.Seed, new TorchBackend(TorchDevices.Cpu, precision));
        model.Initialize(Gpt2Pair.Seed);
        return (model, model.ForwardBackward(ids, Batch, ids));
    }
}
