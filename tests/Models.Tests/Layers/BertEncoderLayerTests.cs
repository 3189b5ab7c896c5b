using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using MLNet.Transformers.Models.Layers;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Tests.Layers;

[TestClass]
public sealed class BertEncoderLayerTests
{
    private const double ForwardTolerance = 1e-5;
    private const double GradientTolerance = 1e-4;

    [TestMethod]
    [DataRow("encoder_layer_gelu", ActivationKind.Gelu)]
    [DataRow("encoder_layer_gelu_new_causal", ActivationKind.GeluTanh)]
    [DataRow("encoder_layer_relu", ActivationKind.Relu)]
    public void ForwardAndBackwardMatchPyTorch(string fixtureName, ActivationKind activation)
    {
        var fixture = LayerFixture.Load(fixtureName);
        var layer = LoadLayer(fixture, activation);

        var output = layer.Forward(fixture.Tensor("input"), fixture.Tensor("attention_mask"), training: true);
        Assert.IsLessThanOrEqualTo(ForwardTolerance, LayerFixture.RelativeError(output.Span, fixture["output"]), "output");

        var dInput = layer.Backward(fixture.Tensor("grad.output"));
        Assert.IsLessThanOrEqualTo(GradientTolerance, LayerFixture.RelativeError(dInput.Span, fixture["grad.input"]), "grad.input");
        foreach (var name in fixture.ParameterNames)
        {
            var error = LayerFixture.RelativeError(layer.Parameters[name].Gradient.Span, fixture["grad." + name]);
            Assert.IsLessThanOrEqualTo(GradientTolerance, error, "grad." + name);
        }
    }

    [TestMethod]
    public void InferenceMatchesTrainingForwardWithoutDropout()
    {
        var fixture = LayerFixture.Load("encoder_layer_gelu");
        var layer = LoadLayer(fixture, ActivationKind.Gelu);
        var (input, mask) = (fixture.Tensor("input"), fixture.Tensor("attention_mask"));

        var inference = layer.Forward(input, mask, training: false).Span.ToArray();

        CollectionAssert.AreEqual(layer.Forward(input, mask, training: true).Span.ToArray(), inference);
        Assert.ThrowsExactly<InvalidOperationException>(() =>
        {
            layer.Forward(input, mask, training: false);
            layer.Backward(fixture.Tensor("grad.output"));
        });
    }

    [TestMethod]
    public void ParametersUseHuggingFaceNamesAndShapes()
    {
        var layer = new BertEncoderLayer(new EncoderLayerOptions { HiddenSize = 8, AttentionHeads = 2, IntermediateSize = 12 }, new Rng(1));
        string[] expected =
        [
            "attention.self.query.weight", "attention.self.query.bias", "attention.self.key.weight",
            "attention.self.key.bias", "attention.self.value.weight", "attention.self.value.bias",
            "attention.output.dense.weight", "attention.output.dense.bias",
            "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
            "intermediate.dense.weight", "intermediate.dense.bias", "output.dense.weight", "output.dense.bias",
            "output.LayerNorm.weight", "output.LayerNorm.bias",
        ];

        CollectionAssert.AreEqual(expected, layer.Parameters.All.Select(p => p.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 12, 8 }, layer.Parameters["intermediate.dense.weight"].Value.Shape.ToArray());
        CollectionAssert.AreEqual(new[] { 8, 12 }, layer.Parameters["output.dense.weight"].Value.Shape.ToArray());
        Assert.IsFalse(layer.Parameters["attention.output.LayerNorm.weight"].WeightDecay);
        Assert.IsTrue(layer.Parameters["attention.self.key.weight"].WeightDecay);
        var error = Assert.ThrowsExactly<KeyNotFoundException>(() => layer.Parameters["attention.self.query.kernel"]);
        StringAssert.Contains(error.Message, "attention.self.query.weight");
    }

    [TestMethod]
    public void BackwardMatchesFiniteDifferencesWithDropout()
    {
        var options = new EncoderLayerOptions
        {
            HiddenSize = 8, AttentionHeads = 2, IntermediateSize = 12, HiddenDropout = 0.2f, AttentionDropout = 0.2f,
        };
        var layer = new BertEncoderLayer(options, new Rng(7));
        layer.Parameters.Initialize(new Rng(3), initializerRange: 0.3f);
        var rng = new Rng(5);
        var input = new Tensor(2, 3, 8);
        rng.FillNormal(input.Span, 0f, 1f);
        var mask = new Tensor(2, 3);
        mask.Span.Fill(1f);
        mask.Span[5] = 0f;
        var upstream = new float[input.Length];
        rng.FillNormal(upstream, 0f, 1f);

        layer.Forward(input, mask, training: true);
        var dInput = layer.Backward(Tensor.Wrap(upstream, 0, 2, 3, 8)).Span.ToArray();
        // Replays the forward with the same dropout masks: a fresh layer on an Rng of the same seed draws the same keys.
        double Loss()
        {
            var replay = new BertEncoderLayer(options, new Rng(7));
            foreach (var p in layer.Parameters.All) replay.Parameters[p.Name].Load(p.Value.Span);
            return GradientCheck.WeightedSum(replay.Forward(input, mask, training: true).Span, upstream);
        }

        Assert.IsLessThanOrEqualTo(2e-3, GradientCheck.RelativeError(input.Span, dInput, Loss));
        foreach (var p in layer.Parameters.All)
            Assert.IsLessThanOrEqualTo(2e-3, GradientCheck.RelativeError(p.Value.Span, p.Gradient.Span, Loss, maxElements: 8), p.Name);
    }

    [TestMethod]
    public void SameSeedsGiveIdenticalTrainingSteps()
    {
        var options = new EncoderLayerOptions { HiddenSize = 16, AttentionHeads = 4, IntermediateSize = 24 };
        var input = new Tensor(3, 7, 16);
        new Rng(1).FillNormal(input.Span, 0f, 1f);
        float[] Step()
        {
            var layer = new BertEncoderLayer(options, new Rng(9));
            layer.Parameters.Initialize(new Rng(4), initializerRange: 0.1f);
            var output = layer.Forward(input, null, training: true).Span.ToArray();
            var dInput = layer.Backward(Tensor.Wrap([.. output], 0, 3, 7, 16)).Span.ToArray();
            return [.. output, .. dInput, .. layer.Parameters.All.SelectMany(p => p.Gradient.Span.ToArray())];
        }

        CollectionAssert.AreEqual(Step(), Step());
    }

    [TestMethod]
    public void AdamWTrainingFitsTheLayerToATarget()
    {
        var options = new EncoderLayerOptions { HiddenSize = 16, AttentionHeads = 2, IntermediateSize = 32, HiddenDropout = 0f, AttentionDropout = 0f };
        var layer = new BertEncoderLayer(options, new Rng(1));
        layer.Parameters.Initialize(new Rng(2), initializerRange: 0.2f);
        var (input, target) = (new Tensor(2, 5, 16), new Tensor(2, 5, 16));
        new Rng(3).FillNormal(input.Span, 0f, 1f);
        new Rng(4).FillNormal(target.Span, 0f, 1f);
        var optimizer = new AdamW(layer.Parameters.All, new AdamWOptions { WeightDecay = 0.01f });
        var schedule = new LearningRateSchedule(0.01f, WarmupSteps: 5, TotalSteps: 60, LearningRateDecay.Linear);
        var residual = new Tensor(2, 5, 16);
        double Loss() // ½‖y − target‖² / n, whose gradient with respect to y is (y − target) / n
        {
            var y = layer.Forward(input, null, training: true).Span;
            TensorPrimitives.Subtract(y, target.Span, residual.Span);
            TensorPrimitives.Multiply(residual.Span, 1f / residual.Length, residual.Span);
            return 0.5 * residual.Length * GradientCheck.WeightedSum(residual.Span, residual.Span);
        }

        var initial = Loss();
        for (var step = 0; step < schedule.TotalSteps; step++)
        {
            optimizer.ZeroGradients();
            Loss();
            layer.Backward(residual);
            GradientClipping.ClipGlobalNorm(layer.Parameters.All, maxNorm: 1f);
            optimizer.Step(schedule.At(step));
        }

        Assert.IsLessThan(0.2 * initial, Loss());
    }

    [TestMethod]
    public void StepsAfterTheFirstReuseEveryBuffer()
    {
        // Counts this thread's allocations (the layer allocates its buffers on the calling thread), so tests running
        // at the same time do not count. Budget in bytes per step: kernel closures, and a worker pool of its own
        // should a concurrent test have taken the idle one; any activation buffer here is 128 KB or more.
        const long budget = 64 * 1024;
        var layer = new BertEncoderLayer(new EncoderLayerOptions { HiddenSize = 128, AttentionHeads = 4, IntermediateSize = 256 }, new Rng(1));
        layer.Parameters.Initialize(new Rng(2), initializerRange: 0.02f);
        var (input, mask, upstream) = (new Tensor(4, 64, 128), new Tensor(4, 64), new Tensor(4, 64, 128));
        new Rng(3).FillNormal(input.Span, 0f, 1f);
        mask.Fill(1f);
        new Rng(4).FillNormal(upstream.Span, 0f, 1f);
        void Step()
        {
            layer.Forward(input, mask, training: true);
            layer.Backward(upstream);
        }

        const int warmup = 5, steps = 20;
        for (var i = 0; i < warmup; i++) Step();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < steps; i++) Step();
        var perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;

        Assert.IsLessThan(budget, perStep);
    }

    private static BertEncoderLayer LoadLayer(LayerFixture fixture, ActivationKind activation)
    {
        var layer = new BertEncoderLayer(fixture.Options(activation), new Rng(0));
        foreach (var name in fixture.ParameterNames) layer.Parameters[name].Load(fixture[name]);
        return layer;
    }
}
