// Quickstart: fine-tune a small transformer into a sentiment classifier, evaluate it, save it, load it, predict.
using System.Diagnostics;
using MLNet.Transformers.Data;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Trainers.Training;

var watch = Stopwatch.StartNew();
var here = AppContext.BaseDirectory;
var context = new TransformersContext(seed: 1);

// 1. Load 3,000 review sentences (Yelp, Amazon, IMDB), "sentence<TAB>0|1", through the pipeline's text loader.
var loader = context.Data.CreateTextLoader<SentimentInput>(new TextLoader.Options { TrimWhitespace = true });
var data = loader.Load(new MultiFileSource(
    [.. new[] { "yelp", "amazon_cells", "imdb" }.Select(name => Path.Combine(here, "data", $"{name}_labelled.txt"))]));
var split = context.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

// 2. A fresh BERT-Mini (4 layers, hidden 256) with the bert-base-uncased vocabulary, fine-tuned on the text.
var options = new TextClassificationOptions
{
    TextColumnName = nameof(SentimentInput.Sentence),
    LabelColumnName = nameof(SentimentInput.Label),
    Preset = "mini",
    TokenizerPath = Path.Combine(here, "tokenizer", "vocab.txt"),
    MaxTokens = 64,
    Epochs = 4,
    BatchSize = 32,
    Progress = new Progress<TrainingProgress>(Print),
};
var trainer = context.BinaryClassification.Trainers.TextClassification(options);
var model = trainer.Fit(split.TrainSet);

// 3. Evaluate on the held-out 20 %.
var metrics = context.BinaryClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine();
Console.WriteLine($"Accuracy {metrics.Accuracy:P1}   AUC {metrics.AreaUnderRocCurve:F3}   F1 {metrics.F1Score:F3}");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

// 4. Save the whole pipeline (weights and tokenizer included) to one file, load it back, predict.
var modelPath = Path.Combine(Environment.CurrentDirectory, "model.zip");
context.Model.Save(model, data.Schema, modelPath);
var loaded = context.Model.Load(modelPath, out _);
var engine = context.Model.CreatePredictionEngine<SentimentInput, SentimentPrediction>(loaded);
foreach (var sentence in new[]
{
    "The food was delicious and the staff were friendly.",
    "Worst phone I have ever owned, it broke after two days.",
    "A wonderful film with a great cast.",
    "I would not recommend this place to anyone.",
})
{
    var prediction = engine.Predict(new SentimentInput { Sentence = sentence });
    Console.WriteLine($"{(prediction.PredictedLabel ? "positive" : "negative"),-8} {prediction.Probability,6:P1}  {sentence}");
}
Console.WriteLine($"Saved {modelPath}; total time {watch.Elapsed:m\\:ss}.");

static void Print(TrainingProgress p)
{
    if (p.Phase == TrainingPhase.Training && (p.Step % 10 == 0 || p.Step == p.TotalSteps))
        Console.WriteLine($"epoch {p.Epoch}/{p.Epochs}  step {p.Step,4}/{p.TotalSteps}  loss {p.Loss:F4}  "
            + $"lr {p.LearningRate:E1}  {p.ExamplesPerSecond,6:F0} examples/s  eta {p.Eta:m\\:ss}");
}

/// <summary>One labelled sentence: the text and whether it is positive.</summary>
internal sealed class SentimentInput
{
    [LoadColumn(0)] public string Sentence { get; set; } = "";
    [LoadColumn(1)] public bool Label { get; set; }
}

/// <summary>What the classifier adds to a row.</summary>
internal sealed class SentimentPrediction
{
    public bool PredictedLabel { get; set; }
    public float Probability { get; set; }
    public float Score { get; set; }
}
