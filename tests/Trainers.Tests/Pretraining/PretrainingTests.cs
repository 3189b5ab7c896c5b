using Microsoft.ML;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Trainers.Pretraining;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Tests.Pretraining;

[TestClass]
public sealed class PretrainingTests
{
    private static string s_directory = "";
    private static PretrainingResult s_result = null!;

    [ClassInitialize]
    public static void Pretrain(TestContext context)
    {
        s_directory = Directory.CreateTempSubdirectory("pretrain").FullName;
        s_result = new MaskedLanguageModelPretrainer(Options(TinyCorpus.Write(s_directory))).Fit();
    }

    [ClassCleanup]
    public static void Delete() => Directory.Delete(s_directory, recursive: true);

    internal static PretrainingOptions Options(string corpus) => new()
    {
        Corpus = [corpus], Preset = "tiny", VocabularySize = 200, MaxLength = 32, BatchSize = 16, Epochs = 40,
        MaxSteps = 250, LearningRate = 2e-3f, HeldOutFraction = 0.1, ValidateEverySteps = 50, Seed = 5,
    };

    [TestMethod]
    public void HeldOutPerplexityFallsFarBelowTheVocabularySize()
    {
        var validations = s_result.History.Validations;
        Assert.IsTrue(validations.Count >= 4, $"{validations.Count} validations");
        var first = validations[0].Result.MetricValue!.Value;
        var final = s_result.HeldOutPerplexity!.Value;
        Assert.AreEqual(HeldOutEvaluatorName, validations[0].Result.MetricName);
        // An untrained model scores about the vocabulary size (200); the corpus keeps some words unpredictable (5 subjects).
        Assert.IsTrue(final < 10 && final < first / 4, $"perplexity {first:F2} after 50 steps, {final:F2} at the end; "
            + string.Join(" ", validations.Select(v => $"{v.Step}:{v.Result.MetricValue:F2}")) + " losses " + string.Join(" ", s_result.History.Steps.Where(x => x.Step % 25 == 0).Select(x => $"{x.Loss:F2}")));
        Assert.IsTrue(s_result.History.Steps[^1].Loss < s_result.History.Steps[0].Loss / 3);
    }

    private const string HeldOutEvaluatorName = "perplexity";

    [TestMethod]
    public void FillMaskRecoversAnObviousToken()
    {
        var predictor = new FillMaskPredictor(s_result.Model, s_result.Tokenizer);
        var candidates = predictor.Predict("the president of the united [MASK] spoke to the court today .", topK: 3);
        Assert.AreEqual(1, candidates.Count);
        Assert.AreEqual("states", candidates[0][0].Token);
        Assert.IsTrue(candidates[0][0].Score > 0.5 && candidates[0][0].Score >= candidates[0][1].Score);
        Assert.ThrowsExactly<ArgumentException>(() => predictor.Predict("no mask here"));
    }

    [TestMethod]
    public void TheCheckpointDirectoryLoadsAsMaskedLmEncoderAndClassifier()
    {
        var directory = Path.Combine(s_directory, "model");
        s_result.Save(directory);
        s_result.Save(directory); // replacing an existing directory
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", PretrainingResult.HistoryFile })
            Assert.IsTrue(File.Exists(Path.Combine(directory, file)), file);
        Assert.AreEqual(0, Directory.GetDirectories(s_directory).Count(d => d.Contains(".tmp-") || d.Contains(".old-")), "no temporary directory is left");
        StringAssert.Contains(File.ReadAllText(Path.Combine(directory, "config.json")), "\"BertForMaskedLM\"");

        var loaded = FillMaskPredictor.Load(directory).Predict("the people of the united [MASK] met with the senate today .");
        Assert.AreEqual("states", loaded[0][0].Token);
        var original = new FillMaskPredictor(s_result.Model, s_result.Tokenizer).Predict("the people of the united [MASK] met with the senate today .");
        Assert.AreEqual(original[0][0].Score, loaded[0][0].Score, 1e-6, "the round trip is exact");

        var encoder = BertModel.FromPretrained(directory);
        Assert.AreEqual(s_result.Model.Config.HiddenSize, encoder.Config.HiddenSize);
        var classifier = BertForSequenceClassification.FromPretrained(directory, seed: 1, labels: ["negative", "positive"]);
        var word = s_result.Model.Encoder.Embeddings.WordEmbeddings.Value.Span.ToArray();
        CollectionAssert.AreEqual(word, classifier.Encoder.Embeddings.WordEmbeddings.Value.Span.ToArray(), "the classifier starts from the pretrained encoder");
        var history = TrainingHistory.FromJson(File.ReadAllText(Path.Combine(directory, PretrainingResult.HistoryFile)));
        Assert.AreEqual(s_result.History.Steps.Count, history.Steps.Count);
    }

    [TestMethod]
    public void TheFineTuningTrainerStartsFromThePretrainedCheckpoint()
    {
        var directory = Path.Combine(s_directory, "for-fine-tuning");
        s_result.Save(directory);
        var context = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 32).Select(i => new LabelledText
        {
            Text = i % 2 == 0 ? "the president of the united states spoke today ." : "the court met with the senate today .",
            Label = i % 2 == 0,
        });
        var data = context.Data.LoadFromEnumerable(rows);
        var trainer = context.BinaryClassification.Trainers.TextClassification(new TextClassificationOptions
        {
            Sentence1ColumnName = nameof(LabelledText.Text), LabelColumnName = nameof(LabelledText.Label), ModelPath = directory,
            Epochs = 3, BatchSize = 8, MaxTokens = 16, LearningRate = 1e-3f,
        });
        var metrics = context.BinaryClassification.Evaluate(trainer.Fit(data).Transform(data));
        Assert.AreEqual(1.0, metrics.Accuracy, "two sentences, one per class, are learned from the pretrained encoder");
    }

    [TestMethod]
    public void PretrainingContinuesFromAnExistingTokenizerAndConfig()
    {
        var directory = Path.Combine(s_directory, "as-tokenizer-and-config");
        s_result.Save(directory);
        var options = Options(Path.Combine(s_directory, "tiny.txt")) with { TokenizerPath = directory, ConfigPath = directory, MaxSteps = 3 };
        var result = new MaskedLanguageModelPretrainer(options).Fit();
        Assert.AreEqual(s_result.Tokenizer.VocabularySize, result.Model.Config.VocabSize);
        Assert.AreEqual(s_result.Model.Config.HiddenSize, result.Model.Config.HiddenSize);
        Assert.HasCount(3, result.History.Steps);
        var badConfig = Path.Combine(s_directory, "bad-config.json");
        File.WriteAllText(badConfig, """{"max_position_embeddings": 16}""");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() =>
            new MaskedLanguageModelPretrainer(options with { ConfigPath = badConfig }).Fit()).Message, "positions");
    }

    /// <summary>A labelled sentence for the fine-tuning check.</summary>
    public sealed class LabelledText
    {
        /// <summary>The text.</summary>
        public string Text { get; set; } = "";

        /// <summary>The class.</summary>
        public bool Label { get; set; }
    }
}
