using Microsoft.ML;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Trainers.Classification;

namespace MLNet.Transformers.Trainers.Tests.Onnx;

/// <summary>
/// Two small classifiers fine-tuned once per test run on real SST-2 training sentences (a fresh tiny model with the
/// bert-base-uncased vocabulary, two epochs: seconds) and exported with <c>ExportOnnx</c>: a multiclass one in ML.NET's
/// tutorial pipeline (MapValueToKey → classifier → MapKeyToValue) and a binary one.
/// </summary>
internal static class Sst2Classifiers
{
    public const int TrainingRows = 1024, MaxTokens = 48;

    private sealed class Row
    {
        public string Sentence { get; set; } = "";
        public string Label { get; set; } = "";
        public bool Positive { get; set; }
    }

    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("mlnet-onnx-classifier-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return folder;
    });

    private static readonly Lazy<(ITransformer Pipeline, TextClassificationTransformer Classifier, string Path)> MulticlassModel = new(() =>
    {
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.TextClassification(Options()))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(Training(ml));
        var classifier = ((IEnumerable<ITransformer>)pipeline).OfType<TextClassificationTransformer>().Single();
        return (pipeline, classifier, Export(classifier, "multiclass"));
    });

    private static readonly Lazy<(TextClassificationTransformer Classifier, string Path)> BinaryModel = new(() =>
    {
        var ml = new MLContext(seed: 1);
        var classifier = ml.BinaryClassification.Trainers.TextClassification(Options() with { LabelColumnName = nameof(Row.Positive) }).Fit(Training(ml));
        return (classifier, Export(classifier, "binary"));
    });

    /// <summary>The fitted tutorial pipeline, its classifier and the classifier's export.</summary>
    public static (ITransformer Pipeline, TextClassificationTransformer Classifier, string Path) Multiclass => MulticlassModel.Value;

    /// <summary>The binary classifier and its export.</summary>
    public static (TextClassificationTransformer Classifier, string Path) Binary => BinaryModel.Value;

    /// <summary>The vocabulary every test model uses.</summary>
    public static string Vocabulary => TestPaths.SharedPath("tokenizers", "bert-base-uncased", "vocab.txt");

    /// <summary>Rows of sentences to score (labels unknown to the model: the label columns are left empty).</summary>
    public static IDataView Scoring(MLContext ml, IEnumerable<string> sentences) =>
        ml.Data.LoadFromEnumerable(sentences.Select(sentence => new Row { Sentence = sentence }));

    private static TextClassificationOptions Options() => new()
    {
        Sentence1ColumnName = nameof(Row.Sentence),
        Preset = "tiny",
        TokenizerPath = Vocabulary,
        MaxTokens = MaxTokens,
        BatchSize = 32,
        Epochs = 2,
        LearningRate = 3e-3f,
        Seed = 5,
    };

    private static IDataView Training(MLContext ml) => ml.Data.LoadFromEnumerable(Sst2.Rows("train", TrainingRows)
        .Select(row => new Row { Sentence = row.Sentence, Label = row.Label == "1" ? "positive" : "negative", Positive = row.Label == "1" }));

    private static string Export(TextClassificationTransformer classifier, string name)
    {
        var path = Path.Combine(Folder.Value, name, "model.onnx");
        var written = classifier.ExportOnnx(path);
        Assert.AreEqual(path, written[^1], "the model is written last");
        return path;
    }
}
