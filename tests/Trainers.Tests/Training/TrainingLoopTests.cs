using MLNet.Transformers.Tensors;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Tests.Training;

[TestClass]
public sealed class TrainingLoopTests
{
    private string _directory = "";

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("training-loop-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static TrainingOptions Options(IProgress<TrainingProgress>? progress = null) => new()
    {
        BatchSize = 8, Epochs = 3, LearningRate = 0.1f, Seed = 5, Progress = progress,
    };

    [TestMethod]
    public void LearnsASeparableTask()
    {
        var model = new SoftmaxRegression();
        var history = new TrainingLoop(model, Options() with { Epochs = 10 }).Run();
        Assert.IsTrue(model.Accuracy() >= 0.95, $"accuracy {model.Accuracy()}");
        Assert.AreEqual(50, history.Steps.Count);
        Assert.IsTrue(history.Steps[^1].Loss < history.Steps[0].Loss);
        Assert.AreEqual("completed", history.StopReason);
    }

    [TestMethod]
    public void LearningRatesFollowTheSchedule()
    {
        var loop = new TrainingLoop(new SoftmaxRegression(), Options() with { Schedule = LearningRateDecay.Cosine });
        var history = loop.Run();
        var schedule = new LearningRateSchedule(0.1f, (int)Math.Ceiling(0.1 * loop.TotalSteps), loop.TotalSteps, LearningRateDecay.Cosine);
        CollectionAssert.AreEqual(Enumerable.Range(0, loop.TotalSteps).Select(s => (double)schedule.At(s)).ToArray(),
            history.Steps.Select(s => s.LearningRate).ToArray());
    }

    [TestMethod]
    public void ResumeAfterCancellationIsBitIdentical()
    {
        var reference = new SoftmaxRegression();
        var expected = new TrainingLoop(reference, Options()).Run();

        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.Step == 7) cancel.Cancel(); });
        var options = Options(progress) with { CheckpointDirectory = _directory, CheckpointEverySteps = 3 };
        Assert.Throws<OperationCanceledException>(() => new TrainingLoop(new SoftmaxRegression(), options).Run(cancel.Token));
        StringAssert.EndsWith(Directory.GetDirectories(_directory).Single(), "checkpoint-00000007");

        var resumed = new SoftmaxRegression();
        var actual = new TrainingLoop(resumed, options with { Progress = null }).Run();
        CollectionAssert.AreEqual(reference.Snapshot(), resumed.Snapshot());
        Assert.AreEqual(expected.ToJson(), actual.ToJson());
    }

    [TestMethod]
    public void ResumeAfterACrashContinuesFromTheLastCheckpoint()
    {
        var reference = new SoftmaxRegression();
        new TrainingLoop(reference, Options()).Run();

        var progress = new SynchronousProgress(p => { if (p.Step == 8) throw new IOException("simulated crash"); });
        var options = Options(progress) with { CheckpointDirectory = _directory, CheckpointEverySteps = 3 };
        Assert.Throws<IOException>(() => new TrainingLoop(new SoftmaxRegression(), options).Run());
        StringAssert.EndsWith(Directory.GetDirectories(_directory).Single(), "checkpoint-00000006");

        var resumed = new SoftmaxRegression();
        var loop = new TrainingLoop(resumed, options with { Progress = null });
        loop.Run();
        CollectionAssert.AreEqual(reference.Snapshot(), resumed.Snapshot());
    }

    [TestMethod]
    public void ACheckpointOfAnotherRunIsRefused()
    {
        var options = Options() with { CheckpointDirectory = _directory, CheckpointEverySteps = 2, MaxSteps = 2 };
        new TrainingLoop(new SoftmaxRegression(), options).Run();
        var error = Assert.Throws<InvalidDataException>(() =>
            new TrainingLoop(new SoftmaxRegression(), options with { Seed = 6 }).Run());
        StringAssert.Contains(error.Message, "another run");
    }

    [TestMethod]
    public void AccumulatedMicroBatchesEqualOneFullBatch()
    {
        var whole = new SoftmaxRegression(dropout: 0f);
        new TrainingLoop(whole, Options()).Run();
        foreach (var steps in new[] { 2, 4 })
        {
            var accumulated = new SoftmaxRegression(dropout: 0f);
            new TrainingLoop(accumulated, Options() with { GradientAccumulationSteps = steps }).Run();
            var (a, b) = (whole.Snapshot(), accumulated.Snapshot());
            for (var i = 0; i < a.Length; i++) Assert.AreEqual(a[i], b[i], 1e-5, $"accumulation {steps}, element {i}");
        }
    }

    [TestMethod]
    public void CancellationStopsBetweenSteps()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.Step == 4) cancel.Cancel(); });
        var model = new SoftmaxRegression();
        Assert.Throws<OperationCanceledException>(() => new TrainingLoop(model, Options(progress)).Run(cancel.Token));
        Assert.AreEqual(4, progress.Reports.Max(r => r.Step));
        Assert.AreEqual(0, Directory.GetDirectories(_directory).Length);
    }

    [TestMethod]
    public void NaNLossStopsNamingTheStepAndKeepsTheLastCheckpoint()
    {
        var model = new SoftmaxRegression();
        float[]? atStep5 = null;
        var progress = new SynchronousProgress(p =>
        {
            if (p is { Phase: TrainingPhase.Training, Step: 5 }) (model.Poisoned, atStep5) = (true, model.Snapshot());
        });
        var options = Options(progress) with { CheckpointDirectory = _directory, CheckpointEverySteps = 4 };
        var error = Assert.Throws<TrainingDivergedException>(() => new TrainingLoop(model, options).Run());
        Assert.AreEqual(6, error.Step);
        StringAssert.Contains(error.Message, "step 6");
        StringAssert.EndsWith(error.LastCheckpoint, "checkpoint-00000004");
        Assert.IsTrue(File.Exists(Path.Combine(error.LastCheckpoint!, "model.safetensors")));
        CollectionAssert.AreEqual(atStep5, model.Snapshot(), "the diverged step must not update the weights");
    }

    [TestMethod]
    public void EarlyStoppingRestoresTheBestWeights()
    {
        var model = new SoftmaxRegression();
        var scores = new Queue<double>([0.5, 0.9, 0.8, 0.7, 0.95]);
        float[]? bestWeights = null;
        ValidationResult Validate()
        {
            var accuracy = scores.Dequeue();
            if (accuracy == 0.9) bestWeights = model.Snapshot();
            return new ValidationResult(1 - accuracy, accuracy);
        }
        var options = Options() with { Epochs = 5, EarlyStoppingPatience = 2 };
        var history = new TrainingLoop(model, options, Validate).Run();
        Assert.AreEqual("early-stopping", history.StopReason);
        Assert.AreEqual(4, history.Validations.Count);
        Assert.AreEqual(10, history.BestStep);
        CollectionAssert.AreEqual(bestWeights, model.Snapshot());
    }

    [TestMethod]
    public void ProgressReportsEveryStepAndValidation()
    {
        var progress = new SynchronousProgress(_ => { });
        var loop = new TrainingLoop(new SoftmaxRegression(), Options(progress), () => new ValidationResult(0.5, 0.5));
        loop.Run();
        var steps = progress.Reports.Where(r => r.Phase == TrainingPhase.Training).ToList();
        CollectionAssert.AreEqual(Enumerable.Range(1, loop.TotalSteps).ToArray(), steps.Select(r => r.Step).ToArray());
        Assert.IsTrue(steps.All(r => r.TotalSteps == 15 && r.Epochs == 3 && r.ExamplesPerSecond > 0 && r.Eta is not null));
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, progress.Reports.Where(r => r.Phase == TrainingPhase.Validating)
            .Select(r => r.Epoch).ToArray());
        Assert.AreEqual(TrainingPhase.Completed, progress.Reports[^1].Phase);
    }

    [TestMethod]
    public void HistoryRoundTripsThroughJson()
    {
        var history = new TrainingLoop(new SoftmaxRegression(), Options(), () => new ValidationResult(0.25, 0.75, 0.7, "auc", 0.8)).Run();
        var copy = TrainingHistory.FromJson(history.ToJson());
        CollectionAssert.AreEqual(history.Steps, copy.Steps);
        CollectionAssert.AreEqual(history.Validations, copy.Validations);
        Assert.AreEqual(history.BestStep, copy.BestStep);
        Assert.AreEqual(history.StopReason, copy.StopReason);
        Assert.Throws<InvalidDataException>(() => TrainingHistory.FromJson("{\"steps\": 3}"));
    }

    [TestMethod]
    public void BadOptionsAndEmptyDataAreRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new TrainingLoop(new SoftmaxRegression(), Options() with { GradientAccumulationSteps = 9 }));
        StringAssert.Contains(error.Message, "GradientAccumulationSteps");
        Assert.Throws<ArgumentException>(() => new TrainingLoop(new SoftmaxRegression(examples: 0), Options()));
    }

    [TestMethod]
    public void SameSeedGivesTheSameWeights()
    {
        var (a, b) = (new SoftmaxRegression(), new SoftmaxRegression());
        new TrainingLoop(a, Options()).Run();
        new TrainingLoop(b, Options()).Run();
        CollectionAssert.AreEqual(a.Snapshot(), b.Snapshot());
        var c = new SoftmaxRegression();
        new TrainingLoop(c, Options() with { Seed = 6 }).Run();
        CollectionAssert.AreNotEqual(a.Snapshot(), c.Snapshot());
    }
}
