using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.TorchSharp.Tests.Backends;

/// <summary>
/// A short fine-tuning run (AdamW, dropout on) of the same tiny classifier on each backend learns a task to the same
/// accuracy with the same losses, and the weights one backend trained load into the other with the same logits.
/// The task: the label is whether a sequence's first token, one of a few ids, is in the upper half of them.
/// </summary>
[TestClass]
public sealed class FineTuningTests
{
    internal const ulong Seed = 21;
    internal const int Steps = 40, BatchSize = 16, Examples = 64;
    private const float LearningRate = 2e-3f;

    /// <summary>How many ids the first token takes.</summary>
    private const int FirstIds = 8;

    /// <summary>Accuracy both runs reach on held-out sequences.</summary>
    internal const double GoodAccuracy = 0.9;

    /// <summary>How far the two runs' losses may drift apart over the run (rounding differs, masks do not).</summary>
    private const double LossAgreement = 1e-3;

    [TestMethod]
    public void BothBackendsLearnTheSameAndExchangeWeights()
    {
        var config = BackendPair.Tiny(EncoderArchitecture.Bert);
        var (train, test) = (Task(config, 1), Task(config, 2));
        var managed = Train(config, null, train, out var managedLosses);
        var torch = Train(config, new TorchBackend(TorchDevices.Cpu), train, out var torchLosses);

        var (managedAccuracy, torchAccuracy) = (Accuracy(managed, test), Accuracy(torch, test));
        Assert.IsGreaterThanOrEqualTo(GoodAccuracy, managedAccuracy, $"managed {managedAccuracy}, torch {torchAccuracy}, losses {string.Join(" ", managedLosses.Select(l => l.ToString("F3")))}");
        Assert.AreEqual(managedAccuracy, torchAccuracy, 1.0 / Examples, "the runs agree to within one example");
        for (var step = 0; step < Steps; step++)
            Assert.AreEqual(managedLosses[step], torchLosses[step], LossAgreement * Math.Max(1, managedLosses[step]), $"loss at step {step + 1}");

        AssertLoadsWithTheSameLogits(torch, new BertForSequenceClassification(config, Seed), test);
        AssertLoadsWithTheSameLogits(managed, new BertForSequenceClassification(config, Seed, new TorchBackend(TorchDevices.Cpu)), test);
    }

    internal static BertForSequenceClassification Train(
        BertConfig config, ComputeBackend? backend, (EncoderBatch Batch, int[] Labels) data, out double[] losses)
    {
        var model = new BertForSequenceClassification(config, Seed, backend);
        model.Initialize(Seed);
        var optimizer = new AdamW(model.Parameters);
        losses = new double[Steps];
        for (var step = 0; step < Steps; step++)
        {
            var start = step * BatchSize % Examples;
            model.ZeroGradients();
            model.ReseedDropout((ulong)step);
            losses[step] = model.ForwardBackward(data.Batch.Rows(start, BatchSize), data.Labels.AsSpan(start, BatchSize));
            optimizer.Step(LearningRate);
        }
        return model;
    }

    internal static double Accuracy(BertForSequenceClassification model, (EncoderBatch Batch, int[] Labels) data)
    {
        var logits = model.CreateInferenceSession().Forward(data.Batch);
        var correct = Enumerable.Range(0, Examples).Count(i => (logits.Span[2 * i + 1] > logits.Span[2 * i] ? 1 : 0) == data.Labels[i]);
        return (double)correct / Examples;
    }

    /// <summary>Saves <paramref name="trained"/>'s weights, loads them into <paramref name="other"/> (the other backend) and compares the logits.</summary>
    internal static void AssertLoadsWithTheSameLogits(
        BertForSequenceClassification trained, BertForSequenceClassification other, (EncoderBatch Batch, int[] Labels) data)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("backend-exchange-").FullName, "model.safetensors");
        try
        {
            trained.SaveWeights(path);
            other.LoadWeights(path).EnsureComplete(allowUnexpected: false);
            var expected = trained.CreateInferenceSession().Forward(data.Batch).Span.ToArray();
            Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(other.CreateInferenceSession().Forward(data.Batch).Span, expected),
                $"{trained.Encoder.Backend.Device} saved, {other.Encoder.Backend.Device} loaded");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    /// <summary>
    /// Sequences of 4 to 9 random tokens whose first is one of <see cref="FirstIds"/> ids from 3 (each seen about eight
    /// times in training), labelled by whether it is in the upper half of them.
    /// </summary>
    internal static (EncoderBatch Batch, int[] Labels) Task(BertConfig config, int seed)
    {
        var random = new Random(seed);
        const int low = 3;
        var ids = Enumerable.Range(0, Examples)
            .Select(_ => Enumerable.Range(0, random.Next(4, 10)).Select(i => i == 0 ? random.Next(low, low + FirstIds) : random.Next(low, config.VocabSize)).ToArray())
            .ToList();
        var labels = ids.Select(row => row[0] >= low + FirstIds / 2 ? 1 : 0).ToArray();
        return (EncoderBatch.Pad(ids, [.. ids.Select(row => new int[row.Length])], config.PadTokenId), labels);
    }
}
