using Microsoft.ML;
using MLNet.Transformers.Trainers.Classification;

namespace MLNet.Transformers.Trainers.Tests.Classification;

/// <summary>A temporary directory with the synthetic vocabulary, and options for a fresh tiny model that learns the synthetic tasks.</summary>
public abstract class ClassifierTestBase
{
    protected string Directory { get; private set; } = "";

    protected string Vocabulary { get; private set; } = "";

    protected MLContext Context { get; } = new(seed: 1);

    [TestInitialize]
    public void CreateDirectory()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("classifier-").FullName;
        Vocabulary = SyntheticText.WriteVocabulary(Directory);
    }

    [TestCleanup]
    public void DeleteDirectory() => System.IO.Directory.Delete(Directory, recursive: true);

    protected TextClassificationOptions Options(string label = nameof(TextRow.Label)) => new()
    {
        Sentence1ColumnName = nameof(TextRow.Text),
        LabelColumnName = label,
        Preset = "tiny",
        TokenizerPath = Vocabulary,
        MaxTokens = 32,
        BatchSize = 16,
        Epochs = 4,
        LearningRate = 1e-3f,
        Seed = 3,
    };

    /// <summary>A multiclass view: the topic mapped to a key column <c>Label</c> by a key mapping fitted on <paramref name="train"/>.</summary>
    protected (IDataView Train, ITransformer KeyMapping) Keyed(IDataView train)
    {
        var mapping = Context.Transforms.Conversion.MapValueToKey("Label", nameof(TextRow.Topic)).Fit(train);
        return (mapping.Transform(train), mapping);
    }

    /// <summary>The options for a short run: one epoch at a higher learning rate.</summary>
    protected TextClassificationOptions OneEpoch() => Options() with { Epochs = 1, LearningRate = 3e-3f };

    /// <summary>ML.NET's tutorial pattern: MapValueToKey → the classifier (one epoch) → MapKeyToValue("PredictedLabel").</summary>
    protected IEstimator<ITransformer> TutorialPipeline() =>
        Context.Transforms.Conversion.MapValueToKey("Label", nameof(TextRow.Topic))
            .Append(Context.MulticlassClassification.Trainers.TextClassification(OneEpoch()))
            .Append(Context.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    /// <summary>The classifier inside a fitted (or loaded) pipeline.</summary>
    protected static TextClassificationTransformer Classifier(ITransformer pipeline) =>
        ((IEnumerable<ITransformer>)pipeline).OfType<TextClassificationTransformer>().Single();

    /// <summary>Whether every parameter of <paramref name="a"/> equals <paramref name="b"/>'s bit for bit.</summary>
    protected static bool SameWeights(TextClassificationTransformer a, TextClassificationTransformer b) =>
        a.Model.Parameters.Zip(b.Model.Parameters).All(p => p.First.Name == p.Second.Name && p.First.Value.Span.SequenceEqual(p.Second.Value.Span));
}
