using Microsoft.ML;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Trainers.Pretraining;

namespace MLNet.Transformers.Trainers.Tests.Classification;

/// <summary>
/// The seed's two stages with GPT-2: causal-LM pretraining of a tiny decoder on a few State of the Union addresses,
/// then fine-tuning it for classification through the text-classification trainer (the last-token head, chosen by
/// the checkpoint's <c>model_type</c>), saved and loaded as any classifier.
/// </summary>
[TestClass]
public sealed class DecoderClassificationTests
{
    /// <summary>The first twelve addresses (1790-1801), one text each, about 120 kB.</summary>
    private const int Addresses = 12;

    private static string s_directory = "";
    private static string s_checkpoint = "";
    private static double? s_perplexity;

    private readonly MLContext _context = new(seed: 1);

    [ClassInitialize]
    public static void Pretrain(TestContext _)
    {
        s_directory = Directory.CreateTempSubdirectory("decoder-classifier").FullName;
        var result = new CausalLanguageModelPretrainer(new PretrainingOptions
        {
            Objective = PretrainingObjective.Causal, Corpus = FirstAddresses(),
            Preset = "tiny", VocabularySize = 400, MaxLength = 32, BatchSize = 16, MaxSteps = 40, LearningRate = 2e-3f,
            HeldOutFraction = 0.2, ValidateEverySteps = 40, Seed = 5,
        }).Fit();
        s_perplexity = result.HeldOutPerplexity;
        s_checkpoint = Path.Combine(s_directory, "gpt2");
        result.Save(s_checkpoint);
    }

    private static string[] FirstAddresses() =>
        [.. Directory.GetFiles(TestPaths.SharedPath("data", "sotu-mlm-corpus", "txt"), "*.txt").Order(StringComparer.Ordinal).Take(Addresses)];

    [ClassCleanup]
    public static void Delete() => Directory.Delete(s_directory, recursive: true);

    private static TextClassificationOptions Options() => new()
    {
        Sentence1ColumnName = nameof(TextRow.Text), LabelColumnName = nameof(TextRow.Label), ModelPath = s_checkpoint,
        MaxTokens = 32, BatchSize = 16, Epochs = 10, LearningRate = 3e-3f, Seed = 3,
    };

    [TestMethod]
    public void APretrainedDecoderFineTunesIntoAClassifierThatSavesAndLoads()
    {
        Assert.IsTrue(s_perplexity < 400, $"held-out perplexity {s_perplexity} below the vocabulary size");
        var train = _context.View(SyntheticText.Rows(96, seed: 1, "sports", "music"));
        var test = SyntheticText.Rows(40, seed: 9, "sports", "music");

        var classifier = _context.BinaryClassification.Trainers.TextClassification(Options()).Fit(train);

        Assert.IsNotNull(classifier.DecoderModel);
        CollectionAssert.AreEqual(new[] { "score.weight" }, classifier.NewlyInitializedWeights.ToArray());
        Assert.ThrowsExactly<InvalidOperationException>(() => classifier.Model);
        var correct = test.Count(row => classifier.PredictProbabilities(row.Text)[1] > 0.5f == row.Label);
        Assert.IsTrue(correct >= 36, $"{correct} of {test.Count} right");
        Assert.AreEqual(1f, classifier.PredictProbabilities("").Sum(), 1e-5f, "an empty text reads as end-of-text");

        var zip = Path.Combine(s_directory, "classifier.zip");
        _context.Model.Save(classifier, train.Schema, zip);
        var loaded = (TextClassificationTransformer)new MLContext().Model.Load(zip, out _);
        Assert.IsNotNull(loaded.DecoderModel);
        foreach (var row in test.Take(10))
            CollectionAssert.AreEqual(classifier.PredictProbabilities(row.Text), loaded.PredictProbabilities(row.Text), row.Text);
    }

    [TestMethod]
    public void TheSavedCheckpointIsAHuggingFaceGpt2Classifier()
    {
        var classifier = _context.BinaryClassification.Trainers.TextClassification(Options() with { Epochs = 1 })
            .Fit(_context.View(SyntheticText.Rows(32, seed: 2, "sports", "music")));
        var output = Path.Combine(s_directory, "checkpoint");

        classifier.SaveCheckpoint(output);

        var config = Gpt2Config.Load(output);
        CollectionAssert.AreEqual(new[] { bool.FalseString, bool.TrueString }, config.Labels!.ToArray());
        Assert.AreEqual(config.EosTokenId, config.PadTokenId, "GPT-2 pads with end-of-text");
        var model = new Gpt2ForSequenceClassification(config);
        using var weights = CheckpointFiles.Open(output);
        model.LoadWeights(weights).EnsureComplete(allowUnexpected: false);
        foreach (var (saved, trained) in model.Parameters.Zip(classifier.DecoderModel!.Parameters))
            CollectionAssert.AreEqual(trained.Value.Span.ToArray(), saved.Value.Span.ToArray(), saved.Name);
        Assert.ThrowsExactly<InvalidOperationException>(() => classifier.ExportOnnx(Path.Combine(s_directory, "model.onnx")));
    }

    [TestMethod]
    public void FrozenLayersKeepTheEmbeddingsAndTheFirstBlocksAndValidationScoresEachEpoch()
    {
        var validation = _context.View(SyntheticText.Rows(24, seed: 4, "sports", "music"));
        var options = Options() with { Epochs = 2, FrozenLayers = 1, ValidationSet = validation };

        var classifier = _context.BinaryClassification.Trainers.TextClassification(options)
            .Fit(_context.View(SyntheticText.Rows(32, seed: 3, "sports", "music")));

        var pretrained = Gpt2LMHeadModel.FromPretrained(s_checkpoint).Parameters.ToDictionary(p => p.Name);
        foreach (var parameter in classifier.DecoderModel!.Parameters.Where(p => p.Name != "score.weight"))
        {
            var frozen = parameter.Name is "transformer.wte.weight" or "transformer.wpe.weight" || parameter.Name.StartsWith("transformer.h.0.", StringComparison.Ordinal);
            var unchanged = parameter.Value.Span.SequenceEqual(pretrained[parameter.Name].Value.Span);
            Assert.AreEqual(frozen, unchanged, parameter.Name);
        }
        Assert.AreEqual(2, classifier.TrainingHistory!.Validations.Count);
    }
}
