using Microsoft.ML;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Trainers.Pretraining;
using MLNet.Transformers.Trainers.Tests.Classification;
using MLNet.Transformers.Trainers.Tests.Pretraining;
using MLNet.Transformers.Trainers.Tests.Training;

namespace MLNet.Transformers.TorchSharp.Tests.Training;

/// <summary>
/// A run on <c>torch:cpu</c> interrupted at a checkpoint and resumed ends with the same bits as the uninterrupted
/// run on <c>torch:cpu</c>: the checkpoint holds the host weights and AdamW's moments exactly, a resumed run pushes
/// those weights to the device, dropout and masking are functions of the step, and libtorch's CPU arithmetic is
/// deterministic for a given thread count, so every later step repeats the same operations on the same values.
/// </summary>
[TestClass]
public sealed class ExactResumeTests
{
    private const string Device = TorchDevices.Cpu;
    private string _directory = "";

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("torch-resume-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestMethod]
    public void ResumedFineTuningEndsWithTheSameWeights()
    {
        var context = new MLContext(seed: 1);
        var rows = context.Data.LoadFromEnumerable(SyntheticText.Rows(48, seed: 1));
        var options = new TextClassificationOptions
        {
            Sentence1ColumnName = nameof(TextRow.Text), LabelColumnName = nameof(TextRow.Label), Preset = "tiny",
            TokenizerPath = SyntheticText.WriteVocabulary(_directory), MaxTokens = 32, BatchSize = 16, Epochs = 2,
            LearningRate = 1e-3f, Seed = 3, Device = Device,
        };
        var reference = context.BinaryClassification.Trainers.TextClassification(options).Fit(rows);

        using var cancel = new CancellationTokenSource();
        var interrupted = options with
        {
            CheckpointDirectory = Path.Combine(_directory, "checkpoints"), CheckpointEverySteps = 2, CancellationToken = cancel.Token,
            Progress = new SynchronousProgress(p => { if (p.Step == 3) cancel.Cancel(); }),
        };
        Assert.ThrowsExactly<OperationCanceledException>(() => context.BinaryClassification.Trainers.TextClassification(interrupted).Fit(rows));
        var resumed = context.BinaryClassification.Trainers.TextClassification(
            interrupted with { Progress = null, CancellationToken = CancellationToken.None }).Fit(rows);

        AssertSameBits(reference.Model.Parameters, resumed.Model.Parameters);
        Assert.AreEqual(reference.TrainingHistory!.ToJson(), resumed.TrainingHistory!.ToJson());
    }

    [TestMethod]
    public void ResumedPretrainingEndsWithTheSameWeights()
    {
        var corpus = TinyCorpus.Write(_directory, lines: 100);
        PretrainingOptions Options() => new()
        {
            Corpus = [corpus], Preset = "tiny", VocabularySize = 200, MaxLength = 32, BatchSize = 8, MaxSteps = 8,
            LearningRate = 2e-3f, HeldOutFraction = 0.1, ValidateEverySteps = 4, Seed = 5, Device = Device,
        };
        var uninterrupted = new MaskedLanguageModelPretrainer(Options()).Fit();

        var checkpoints = Path.Combine(_directory, "checkpoints");
        using var cancel = new CancellationTokenSource();
        var interrupted = Options() with
        {
            CheckpointDirectory = checkpoints, CheckpointEverySteps = 3,
            Progress = new SynchronousProgress(p => { if (p.Step == 5) cancel.Cancel(); }),
        };
        Assert.ThrowsExactly<OperationCanceledException>(() => new MaskedLanguageModelPretrainer(interrupted).Fit(cancel.Token));
        var resumed = new MaskedLanguageModelPretrainer(Options() with { CheckpointDirectory = checkpoints, CheckpointEverySteps = 3 }).Fit();

        Assert.AreEqual(uninterrupted.HeldOutPerplexity, resumed.HeldOutPerplexity);
        AssertSameBits(uninterrupted.Model.Parameters, resumed.Model.Parameters);
    }

    private static void AssertSameBits(IReadOnlyList<Parameter> expected, IReadOnlyList<Parameter> actual)
    {
        Assert.HasCount(expected.Count, actual);
        for (var i = 0; i < expected.Count; i++)
            CollectionAssert.AreEqual(expected[i].Value.Span.ToArray(), actual[i].Value.Span.ToArray(), expected[i].Name);
    }
}
