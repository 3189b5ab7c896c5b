using System.Globalization;
using Microsoft.ML;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;

namespace MLNet.Transformers.Bench.Pretrain;

/// <summary>
/// Fine-tunes a binary classifier on the first N rows of a <c>sentence&lt;TAB&gt;label</c> file (with header) and prints
/// <c>accuracy=X</c> on the test file, starting from a pretrained checkpoint (<c>--model DIR</c>) or, with
/// <c>--fresh</c>, from a copy of it (same <c>config.json</c> and tokenizer) whose weights are initialised afresh; both
/// fine-tune with the same dropout (<c>--dropout</c>, default BERT's 0.1, whatever pretraining used), so the two runs
/// differ in their starting weights only.
/// </summary>
internal static class FineTune
{
    private const double DefaultDropout = 0.1;

    public static void Run(Arguments arguments)
    {
        var fresh = arguments.Flag("--fresh");
        var start = fresh ? FreshCopy(arguments.Required("--model"), (ulong)arguments.Int("--seed", 1)) : arguments.Required("--model");
        try
        {
            var context = new MLContext(seed: 1);
            var options = new TextClassificationOptions
            {
                Sentence1ColumnName = nameof(Row.Sentence), LabelColumnName = nameof(Row.Label), ModelPath = start,
                Epochs = arguments.Int("--epochs", 2), BatchSize = arguments.Int("--batch", 32), MaxTokens = arguments.Int("--tokens", 64),
                DegreeOfParallelism = arguments.Int("--threads", 2), Seed = arguments.Int("--seed", 1),
                Dropout = (float)arguments.Double("--dropout", DefaultDropout),
            };
            if (arguments.Text("--learning-rate") is not null) options.LearningRate = (float)arguments.Double("--learning-rate", 0);
            var train = context.Data.LoadFromEnumerable(Read(arguments.Required("--train")).Take(arguments.Int("--examples", 8000)).ToList());
            var test = context.Data.LoadFromEnumerable(Read(arguments.Required("--test")).ToList());
            var fitted = context.BinaryClassification.Trainers.TextClassification(options).Fit(train);
            var metrics = context.BinaryClassification.Evaluate(fitted.Transform(test));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy={metrics.Accuracy:F4}"));
        }
        finally
        {
            if (fresh) Directory.Delete(start, recursive: true);
        }
    }

    /// <summary>A copy of <paramref name="checkpoint"/> whose weights (encoder and pooler) are initialised from <paramref name="seed"/>.</summary>
    private static string FreshCopy(string checkpoint, ulong seed)
    {
        var copy = Directory.CreateTempSubdirectory("finetune-fresh-").FullName;
        foreach (var file in Directory.GetFiles(checkpoint)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var model = new BertModel(BertConfig.Load(copy), addPoolingLayer: true);
        model.Initialize(seed);
        model.SaveWeights(Path.Combine(copy, CheckpointFiles.Safetensors));
        return copy;
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
