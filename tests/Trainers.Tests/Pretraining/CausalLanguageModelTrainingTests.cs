using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Trainers.Pretraining;
using MLNet.Transformers.Trainers.Training;
using MLNet.Transformers.Transforms;

namespace MLNet.Transformers.Trainers.Tests.Pretraining;

/// <summary>
/// Causal-LM training of GPT-2 through the shared training loop: padded batches against the per-sequence losses they
/// average, and a short run on a tiny corpus whose checkpoint generates text.
/// </summary>
[TestClass]
public sealed class CausalLanguageModelTrainingTests
{
    private const int SequenceLength = 32, Sequences = 16, Epochs = 25;

    [TestMethod]
    public void APaddedBatchAveragesItsSequencesPredictionsLossAndGradients()
    {
        var folder = TestPaths.Fixture("Models.Tests", "fixtures", "gpt2-tiny");
        var config = Models.Configuration.Gpt2Config.Load(folder);
        (config.ResidualDropout, config.EmbeddingDropout, config.AttentionDropout) = (0, 0, 0);
        var model = new Gpt2LMHeadModel(config);
        model.LoadWeights(folder).EnsureComplete();
        var sequences = new PackedSequences();
        sequences.Add([5, 17, 42, 8, 30, 1, 2, 3, 4]); // 8 predictions
        sequences.Add([9, 33, 21, 60, 7, 11]);         // 5 predictions
        var training = new CausalLanguageModelTraining(model, null!, sequences);
        float[][] Gradients() => [.. model.Parameters.Select(p => p.Gradient.Span.ToArray())];

        model.ZeroGradients();
        var first = training.ForwardBackward([0], lossScale: 1f);
        var firstGradients = Gradients();
        model.ZeroGradients();
        var second = training.ForwardBackward([1], lossScale: 1f);
        var secondGradients = Gradients();
        model.ZeroGradients();
        var both = training.ForwardBackward([0, 1], lossScale: 0.5f);

        Assert.AreEqual((8 * first + 5 * second) / 13, both, 1e-5);
        var actual = Gradients();
        for (var p = 0; p < actual.Length; p++)
        {
            var expected = firstGradients[p].Zip(secondGradients[p], (a, b) => 0.5f * (8 * a + 5 * b) / 13).ToArray();
            var scale = Math.Max(expected.Max(Math.Abs), 1e-6f);
            for (var i = 0; i < expected.Length; i++)
                Assert.AreEqual(expected[i], actual[p][i], 1e-4 * scale, $"{model.Parameters[p].Name}[{i}]");
        }
    }

    [TestMethod]
    public void AShortRunLowersTheLossAndItsCheckpointGeneratesText()
    {
        using var checkpoint = TinyGpt2Checkpoint.Create();
        var model = Gpt2LMHeadModel.FromPretrained(checkpoint.Directory);
        var tokenizer = Tokenizer.Load(checkpoint.Directory);
        var sequences = new PackedSequences();
        var text = string.Join(" ", Enumerable.Repeat("the president of the united states spoke to the congress today .", 40));
        foreach (var chunk in tokenizer.Encode(text).Ids.Chunk(SequenceLength).Take(Sequences)) sequences.Add(chunk);
        var root = Directory.CreateTempSubdirectory("mlnet-causal-").FullName;
        try
        {
            var options = new TrainingOptions
            {
                BatchSize = 4, Epochs = Epochs, LearningRate = 1e-2f, Seed = 3, CheckpointDirectory = root,
                CheckpointEverySteps = Epochs * Sequences / 4, // once, at the end
            };
            var history = new TrainingLoop(new CausalLanguageModelTraining(model, tokenizer, sequences), options).Run();

            var losses = history.Steps.Select(s => s.Loss).ToArray();
            Assert.IsTrue(losses[^3..].Average() < 0.5 * losses[..3].Average(), $"loss {losses[0]} → {losses[^1]}");
            var saved = Directory.GetDirectories(root).Single();
            var generated = TextGenerator.FromPretrained(saved).Generate("the president of the", new Models.Generation.GenerationOptions { MaxNewTokens = 6 });
            StringAssert.Contains(generated, "united states");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
