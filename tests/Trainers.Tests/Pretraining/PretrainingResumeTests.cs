using MLNet.Transformers.Trainers.Pretraining;
using MLNet.Transformers.Trainers.Tests.Training;

namespace MLNet.Transformers.Trainers.Tests.Pretraining;

[TestClass]
public sealed class PretrainingResumeTests
{
    [TestMethod]
    public void AnInterruptedRunResumesToTheSameWeights()
    {
        var directory = Directory.CreateTempSubdirectory("pretrain-resume").FullName;
        try
        {
            var corpus = TinyCorpus.Write(directory, lines: 200);
            PretrainingOptions Options() => PretrainingTests.Options(corpus) with { MaxSteps = 24, ValidateEverySteps = 8, Masking = new MaskingOptions { WholeWordMasking = true } };
            var uninterrupted = new MaskedLanguageModelPretrainer(Options()).Fit();

            var checkpoints = Path.Combine(directory, "checkpoints");
            using var cancel = new CancellationTokenSource();
            var interrupted = Options() with
            {
                CheckpointDirectory = checkpoints, CheckpointEverySteps = 5,
                Progress = new SynchronousProgress(p => { if (p.Step == 13) cancel.Cancel(); }),
            };
            Assert.ThrowsExactly<OperationCanceledException>(() => new MaskedLanguageModelPretrainer(interrupted).Fit(cancel.Token));
            Assert.IsTrue(Directory.EnumerateDirectories(checkpoints).Any(), "a checkpoint was written when cancelled");
            var resumed = new MaskedLanguageModelPretrainer(Options() with { CheckpointDirectory = checkpoints, CheckpointEverySteps = 5 }).Fit();

            Assert.AreEqual(uninterrupted.HeldOutPerplexity, resumed.HeldOutPerplexity);
            for (var i = 0; i < uninterrupted.Model.Parameters.Count; i++)
                CollectionAssert.AreEqual(uninterrupted.Model.Parameters[i].Value.Span.ToArray(), resumed.Model.Parameters[i].Value.Span.ToArray(),
                    uninterrupted.Model.Parameters[i].Name);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
