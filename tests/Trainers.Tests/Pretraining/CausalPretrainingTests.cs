using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Generation;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Trainers.Pretraining;
using MLNet.Transformers.Transforms;

namespace MLNet.Transformers.Trainers.Tests.Pretraining;

/// <summary>
/// Causal-LM pretraining of a tiny GPT-2 from scratch on the tiny corpus: a byte-level BPE vocabulary learned on it,
/// held-out perplexity, and a saved checkpoint that loads and generates.
/// </summary>
[TestClass]
public sealed class CausalPretrainingTests
{
    private const int VocabularySize = 300;

    private static string s_directory = "";
    private static CausalPretrainingResult s_result = null!;

    [ClassInitialize]
    public static void Pretrain(TestContext context)
    {
        s_directory = Directory.CreateTempSubdirectory("pretrain-causal").FullName;
        s_result = new CausalLanguageModelPretrainer(Options(TinyCorpus.Write(s_directory))).Fit();
    }

    [ClassCleanup]
    public static void Delete() => Directory.Delete(s_directory, recursive: true);

    private static PretrainingOptions Options(string corpus) => new()
    {
        Objective = PretrainingObjective.Causal, Corpus = [corpus], Preset = "tiny", VocabularySize = VocabularySize,
        MaxLength = 32, BatchSize = 16, Epochs = 40, MaxSteps = 150, LearningRate = 2e-3f, HeldOutFraction = 0.1,
        ValidateEverySteps = 50, Seed = 5,
    };

    [TestMethod]
    public void HeldOutPerplexityFallsFarBelowTheVocabularySize()
    {
        var validations = s_result.History.Validations;
        Assert.IsTrue(validations.Count >= 3, $"{validations.Count} validations");
        var (first, final) = (validations[0].Result.MetricValue!.Value, s_result.HeldOutPerplexity!.Value);
        Assert.AreEqual("perplexity", validations[0].Result.MetricName);
        // An untrained model scores about the vocabulary size; most of each line follows from its start.
        Assert.IsTrue(final < 5 && final < first, $"perplexity {first:F2} after 50 steps, {final:F2} at the end");
        Assert.IsTrue(s_result.History.Steps[^1].Loss < s_result.History.Steps[0].Loss / 3);
        Assert.AreEqual(VocabularySize, s_result.Model.Config.VocabSize);
    }

    [TestMethod]
    public void TheSavedCheckpointLoadsAndContinuesAnObviousPhrase()
    {
        var output = Path.Combine(s_directory, "gpt2");
        s_result.Save(output);

        var model = Gpt2LMHeadModel.FromPretrained(output);
        var generator = new TextGenerator(model, Tokenizer.Load(output));
        var text = generator.Generate("the president of the", new GenerationOptions { MaxNewTokens = 3 });

        StringAssert.StartsWith(text, " united states");
        foreach (var (saved, trained) in model.Parameters.Zip(s_result.Model.Parameters))
            CollectionAssert.AreEqual(trained.Value.Span.ToArray(), saved.Value.Span.ToArray(), saved.Name);
        Assert.IsTrue(File.Exists(Path.Combine(output, PretrainingResult.HistoryFile)));
    }
}
