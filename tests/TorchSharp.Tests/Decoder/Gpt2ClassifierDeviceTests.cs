using Microsoft.ML;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Trainers.Classification;

namespace MLNet.Transformers.TorchSharp.Tests.Decoder;

/// <summary>
/// The text-classification trainer's <c>Device</c> on a GPT-2 checkpoint: fine-tuning on <c>torch:cpu</c> runs the
/// decoder on TorchSharp and predicts what the same fine-tuning on the managed engine predicts.
/// </summary>
[TestClass]
public sealed class Gpt2ClassifierDeviceTests
{
    /// <summary>How far the two runs' probabilities may drift apart over a few AdamW steps (rounding differs, masks do not).</summary>
    private const float ProbabilityAgreement = 1e-3f;

    private sealed class Row
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    private static readonly Row[] Rows =
    [
        new() { Text = "the team scored a late goal", Label = true }, new() { Text = "a quiet song on the old guitar", Label = false },
        new() { Text = "the coach praised the league match", Label = true }, new() { Text = "the band played a slow melody", Label = false },
        new() { Text = "a great goal for the home team", Label = true }, new() { Text = "her new album has one drum solo", Label = false },
        new() { Text = "the match ended with no score", Label = true }, new() { Text = "we sang the song with the band", Label = false },
    ];

    [TestMethod]
    public void FineTuningOnTorchCpuPredictsWhatTheManagedEngineDoes()
    {
        using var checkpoint = TinyGpt2Checkpoint.Create();
        var managed = Train(checkpoint.Directory, ComputeBackends.DefaultDevice);
        var torch = Train(checkpoint.Directory, TorchDevices.Cpu);

        Assert.AreEqual(TorchDevices.Cpu, torch.DecoderModel!.Decoder.Backend.Device);
        foreach (var row in Rows)
        {
            var (expected, actual) = (managed.PredictProbabilities(row.Text), torch.PredictProbabilities(row.Text));
            for (var k = 0; k < expected.Length; k++) Assert.AreEqual(expected[k], actual[k], ProbabilityAgreement, row.Text);
        }
    }

    private static TextClassificationTransformer Train(string checkpoint, string device)
    {
        var context = new MLContext(seed: 1);
        return context.BinaryClassification.Trainers.TextClassification(new TextClassificationOptions
        {
            Sentence1ColumnName = nameof(Row.Text), LabelColumnName = nameof(Row.Label), ModelPath = checkpoint,
            MaxTokens = 16, BatchSize = 4, Epochs = 2, LearningRate = 1e-3f, Seed = 3, Device = device,
        }).Fit(context.Data.LoadFromEnumerable(Rows));
    }
}
