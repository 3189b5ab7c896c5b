namespace MLNet.Transformers.Tensors.Tests;

/// <summary>AdamW with schedule and clipping against torch.optim (fixtures from tools/reference/engine/optimizer.py).</summary>
[TestClass]
public sealed class OptimizerTests
{
    [TestMethod]
    [DataRow("linear", LearningRateDecay.Linear)]
    [DataRow("cosine", LearningRateDecay.Cosine)]
    public void AdamWStepsMatchTorch(string name, LearningRateDecay decay)
    {
        var f = ReferenceFixture.Load("adamw_" + name);
        var settings = f["settings"]; // steps, warmup, peak lr, max norm, weight decay
        var (steps, warmup, peak, maxNorm) = ((int)settings[0], (int)settings[1], settings[2], settings[3]);
        var weight = new Parameter("weight", Tensor.Wrap(f["weight.initial"], 0, 3, 4), new Tensor(3, 4), weightDecay: true);
        var bias = new Parameter("bias", Tensor.Wrap(f["bias.initial"], 0, 4), new Tensor(4), weightDecay: false);
        var optimizer = new AdamW([weight, bias], new AdamWOptions { WeightDecay = settings[4] });
        var schedule = new LearningRateSchedule(peak, warmup, steps, decay);

        for (var step = 0; step < steps; step++)
        {
            f[$"weight.grad.{step}"].CopyTo(weight.Gradient.Span);
            f[$"bias.grad.{step}"].CopyTo(bias.Gradient.Span);
            var norm = GradientClipping.ClipGlobalNorm([weight, bias], maxNorm);
            Assert.AreEqual(f["norms"][step], norm, 1e-5 * norm, $"norm at step {step}");
            var learningRate = schedule.At(step);
            Assert.AreEqual(f["learning_rates"][step], learningRate, 1e-7, $"learning rate at step {step}");
            optimizer.Step(learningRate);
            Close.Assert(weight.Value.Span, f[$"weight.{step}"], Close.Forward, $"weight after step {step}");
            Close.Assert(bias.Value.Span, f[$"bias.{step}"], Close.Forward, $"bias after step {step}");
        }
    }

    [TestMethod]
    public void ClippingLeavesSmallGradientsAlone()
    {
        var p = new Parameter("p", new Tensor(2), Tensor.Wrap([3f, 4f], 0, 2), weightDecay: false);

        Assert.AreEqual(5f, GradientClipping.ClipGlobalNorm([p], maxNorm: 10f));
        CollectionAssert.AreEqual(new[] { 3f, 4f }, p.Gradient.Span.ToArray());
        GradientClipping.ClipGlobalNorm([p], maxNorm: 1f);
        Assert.AreEqual(1.0, Math.Sqrt(p.Gradient.Span[0] * p.Gradient.Span[0] + p.Gradient.Span[1] * p.Gradient.Span[1]), 1e-5);
    }

    [TestMethod]
    public void ScheduleWarmsUpThenReachesZeroAtTheEnd()
    {
        var schedule = new LearningRateSchedule(1f, WarmupSteps: 4, TotalSteps: 12, LearningRateDecay.Cosine);

        Assert.AreEqual(0f, schedule.At(0));
        Assert.AreEqual(0.5f, schedule.At(2));
        Assert.AreEqual(1f, schedule.At(4));
        Assert.AreEqual(0.5f, schedule.At(8), 1e-6f);
        Assert.AreEqual(0f, schedule.At(12), 1e-6f);
    }

    [TestMethod]
    public void ARestoredAdamWStateContinuesIdentically()
    {
        static Parameter Make() => new("w", Tensor.Wrap([1f, -2f, 3f], 0, 3), new Tensor(3), weightDecay: true);
        static void Gradient(Parameter p, int step)
        {
            for (var i = 0; i < 3; i++) p.Gradient.Span[i] = MathF.Sin(step + i) + p.Value.Span[i];
        }
        var (a, b) = (Make(), Make());
        var optimizer = new AdamW([a]);
        for (var step = 0; step < 5; step++)
        {
            Gradient(a, step);
            optimizer.Step(0.1f);
        }
        var restored = new AdamW([b]) { Steps = 3 };
        a.Value.Span.CopyTo(b.Value.Span);
        optimizer.FirstMoments(0).CopyTo(restored.FirstMoments(0));
        optimizer.SecondMoments(0).CopyTo(restored.SecondMoments(0));
        restored.Steps = optimizer.Steps;
        Gradient(a, 5);
        Gradient(b, 5);
        optimizer.Step(0.1f);
        restored.Step(0.1f);
        CollectionAssert.AreEqual(a.Value.Span.ToArray(), b.Value.Span.ToArray());
        Assert.AreEqual(6, restored.Steps);
        Assert.AreSame(b, restored.Parameters[0]);
    }
}
