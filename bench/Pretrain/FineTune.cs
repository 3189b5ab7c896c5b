using MLNet.Transformers.Data;
using MLNet.Transformers.Trainers.Classification;

namespace MLNet.Transformers.Bench.Pretrain;

/// <summary>
/// Fine-tunes a binary classifier on the first N rows of a <c>sentence&lt;TAB&gt;label</c> file (with header) and prints
/// <c>accuracy=X</c> on the test file: from a pretrained checkpoint (<c>--model DIR</c>), or from a fresh model of the
/// same preset and tokenizer (<c>--fresh DIR</c>).
/// </summary>
internal static class FineTune
{
    public static void Run(Arguments arguments)
    {
        var context = new TransformersContext(seed: 1);
        var options = new TextClassificationOptions
        {
            TextColumnName = nameof(Row.Sentence), LabelColumnName = nameof(Row.Label),
            Epochs = arguments.Int("--epochs", 2), BatchSize = arguments.Int("--batch", 32), MaxTokens = arguments.Int("--tokens", 64),
            DegreeOfParallelism = arguments.Int("--threads", 2), Seed = 1,
        };
        if (arguments.Text("--model") is { } model) options.ModelPath = model;
        else (options.Preset, options.TokenizerPath) = (arguments.Required("--preset"), arguments.Required("--fresh"));
        if (arguments.Text("--learning-rate") is not null) options.LearningRate = (float)arguments.Double("--learning-rate", 0);
        var train = context.Data.LoadFromEnumerable(Read(arguments.Required("--train")).Take(arguments.Int("--examples", 8000)).ToList());
        var test = context.Data.LoadFromEnumerable(Read(arguments.Required("--test")).ToList());
        var fitted = context.BinaryClassification.Trainers.TextClassification(options).Fit(train);
        var metrics = context.BinaryClassification.Evaluate(fitted.Transform(test));
        Console.WriteLine($"accuracy={metrics.Accuracy:F4}");
    }

    private static IEnumerable<Row> Read(string path) =>
        File.ReadLines(path).Skip(1).Select(line => line.Split('\t')).Select(f => new Row { Sentence = f[0].Trim(), Label = f[1].Trim() == "1" });

    /// <summary>One labelled sentence.</summary>
    public sealed class Row
    {
        /// <summary>The text.</summary>
        public string Sentence { get; set; } = "";

        /// <summary>Positive or not.</summary>
        public bool Label { get; set; }
    }
}
