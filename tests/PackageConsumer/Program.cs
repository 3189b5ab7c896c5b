// A new ML.NET app that adds only the MLNet.Transformers package (built by .ci/package-check from this repository):
// fine-tunes a fresh tiny classifier on a few rows, saves it, loads it and predicts; then builds the featurizer.
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: PackageConsumer VOCAB.txt");
    return 2;
}
var ml = new MLContext(seed: 1);
var rows = Enumerable.Range(0, 32).Select(i => i % 2 == 0
    ? new Review { Text = $"a wonderful and great film number {i}", Label = true }
    : new Review { Text = $"a dull and awful film number {i}", Label = false });
var data = ml.Data.LoadFromEnumerable(rows);
var trainer = ml.BinaryClassification.Trainers.TextClassification(new TextClassificationOptions
{
    Sentence1ColumnName = nameof(Review.Text),
    Preset = "tiny",
    TokenizerPath = args[0],
    Epochs = 1,
});
var model = trainer.Fit(data);
var path = Path.Combine(Path.GetTempPath(), $"package-consumer-{Environment.ProcessId}.zip");
ml.Model.Save(model, data.Schema, path);
var loaded = ml.Model.Load(path, out _);
File.Delete(path);
var engine = ml.Model.CreatePredictionEngine<Review, Prediction>(loaded);
var prediction = engine.Predict(new Review { Text = "a wonderful film" });
Console.WriteLine($"predicted {prediction.PredictedLabel} with probability {prediction.Probability:F3}");
var featurizer = ml.Transforms.Text.ApplyTextEmbedding("Features", nameof(Review.Text), "checkpoint-dir");
Console.WriteLine($"featurizer: {featurizer.GetType().Name}");
return 0;

internal sealed class Review
{
    public string Text { get; set; } = "";
    public bool Label { get; set; }
}

internal sealed class Prediction
{
    public bool PredictedLabel { get; set; }
    public float Probability { get; set; }
}
