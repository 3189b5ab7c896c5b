using System.Diagnostics;
using Microsoft.ML;
using MLNet.Transformers.Trainers.Classification;

namespace MLNet.Transformers.Bench.Study;

/// <summary>A labelled text row of SST-2 or AG News.</summary>
internal sealed class LabeledRow
{
    public string Text { get; set; } = "";

    public string Topic { get; set; } = "";
}

/// <summary>One architecture's result on one data set.</summary>
internal sealed record RealDataResult(string Architecture, double Accuracy, double TrainSeconds, long Parameters, TextClassificationTransformer Classifier);

/// <summary>
/// SST-2 and AG News through the text-classification trainer itself: every architecture from scratch with the same
/// tokenizer, rows, epochs, batch and token limit, each at its trainer-default learning rate; accuracy on the test set.
/// </summary>
internal static class RealData
{
    /// <summary>Rows of a .tsv (text, label), skipping a header line when <paramref name="header"/>.</summary>
    public static List<LabeledRow> Read(string path, bool header, int limit) =>
        [.. File.ReadLines(path).Skip(header ? 1 : 0).Select(line => line.Split('\t')).Where(f => f.Length == 2)
            .Take(limit).Select(f => new LabeledRow { Text = f[0], Topic = f[1].Trim() })];

    public static List<RealDataResult> Run(IReadOnlyList<LabeledRow> train, IReadOnlyList<LabeledRow> test, string tokenizer,
        int maxTokens, int epochs, int threads, int seed)
    {
        var results = new List<RealDataResult>();
        foreach (var architecture in Enum.GetValues<TextClassifierArchitecture>())
        {
            var ml = new MLContext(seed);
            var options = new TextClassificationOptions
            {
                Sentence1ColumnName = nameof(LabeledRow.Text),
                Architecture = architecture,
                Preset = "tiny",
                TokenizerPath = tokenizer,
                MaxTokens = maxTokens,
                Epochs = epochs,
                BatchSize = 32,
                Seed = seed,
                DegreeOfParallelism = threads,
            };
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(LabeledRow.Topic))
                .Append(ml.MulticlassClassification.Trainers.TextClassification(options));
            var trainView = ml.Data.LoadFromEnumerable(train);
            var clock = Stopwatch.StartNew();
            var model = pipeline.Fit(trainView);
            var seconds = clock.Elapsed.TotalSeconds;
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(test)));
            var classifier = ((IEnumerable<ITransformer>)model).OfType<TextClassificationTransformer>().Single();
            var parameters = architecture == TextClassifierArchitecture.Transformer
                ? classifier.Model.Parameters.Where(p => !p.Name.Contains("embeddings", StringComparison.Ordinal)).Sum(p => (long)p.Value.Length)
                : classifier.RecurrentModel!.Parameters.Where(p => p.Name != "embedding.weight").Sum(p => (long)p.Value.Length);
            Console.Error.WriteLine($"real data {architecture}: accuracy {metrics.MicroAccuracy:F4} in {seconds:F0} s");
            results.Add(new RealDataResult(TextClassifierArchitectureNames.NameOf(architecture), metrics.MicroAccuracy, seconds, parameters, classifier));
        }
        return results;
    }
}
