using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Bench.Study;

/// <summary>
/// Training and scoring on generated sequences: AdamW at a constant rate, global-norm clipping at 1, cross-entropy,
/// every architecture with the same batches and steps.
/// </summary>
internal static class SyntheticTraining
{
    /// <summary>The clipping every run uses (as the trainer's default).</summary>
    public const float MaxGradientNorm = 1f;

    /// <summary>Trains <paramref name="network"/> for <paramref name="steps"/> batches from <paramref name="sample"/>; returns the mean loss of the last tenth.</summary>
    public static double Train(StudyNetwork network, Func<Rng, (int[] Ids, int Label)> sample, int steps, int batchSize, float learningRate, ulong seed)
    {
        var rng = new Rng(seed);
        var optimizer = new AdamW(network.Parameters);
        var losses = new List<double>();
        for (var step = 0; step < steps; step++)
        {
            var (batch, labels) = Batch(sample, rng, batchSize);
            optimizer.ZeroGradients();
            losses.Add(LossAndBackward(network, batch, labels));
            GradientClipping.ClipGlobalNorm(network.Parameters, MaxGradientNorm);
            optimizer.Step(learningRate);
        }
        return losses.Skip(steps - Math.Max(1, steps / 10)).Average();
    }

    /// <summary>Accuracy on <paramref name="count"/> fresh sequences.</summary>
    public static double Accuracy(StudyNetwork network, Func<Rng, (int[] Ids, int Label)> sample, int count, int batchSize, ulong seed)
    {
        var rng = new Rng(seed);
        var correct = 0;
        for (var done = 0; done < count; done += batchSize)
        {
            var (batch, labels) = Batch(sample, rng, Math.Min(batchSize, count - done));
            var logits = network.Forward(batch, training: false); // (B, K)
            var classes = logits.Size(1);
            for (var b = 0; b < labels.Length; b++)
            {
                var row = logits.Span.Slice(b * classes, classes);
                if (row.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(row)) == labels[b]) correct++;
            }
        }
        return correct / (double)count;
    }

    /// <summary>Mean cross-entropy of a batch, its gradient added to every parameter.</summary>
    public static float LossAndBackward(StudyNetwork network, EncoderBatch batch, int[] labels)
    {
        var logits = network.Forward(batch, training: true); // (B, K)
        var classes = logits.Size(1);
        var probabilities = new float[logits.Length];
        var dLogits = new Tensor(labels.Length, classes);
        var loss = CrossEntropy.Forward(logits.Span, labels, probabilities, classes);
        CrossEntropy.Backward(probabilities, labels, dLogits.Span, classes);
        network.Backward(dLogits);
        return loss;
    }

    public static (EncoderBatch Batch, int[] Labels) Batch(Func<Rng, (int[] Ids, int Label)> sample, Rng rng, int size)
    {
        var examples = Enumerable.Range(0, size).Select(_ => sample(rng)).ToList();
        var ids = examples.Select(e => e.Ids).ToList();
        return (EncoderBatch.Pad(ids, [.. ids.Select(i => new int[i.Length])], padTokenId: 0), [.. examples.Select(e => e.Label)]);
    }
}
