using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Bench.FineTune;

/// <summary>
/// Accuracy and mean cross-entropy of a classifier's current weights on a labelled set, scored in batches of
/// similar lengths (the order the peer scores in too).
/// </summary>
internal static class Scoring
{
    /// <summary>Rows per scoring batch.</summary>
    public const int BatchSize = 64;

    public static ValidationResult Score(BertForSequenceClassification model, LabeledSequences set)
    {
        var order = Enumerable.Range(0, set.Count).OrderBy(i => set.Ids[i].Length).ThenBy(i => i).ToArray();
        double loss = 0;
        var correct = 0;
        foreach (var indices in order.Chunk(BatchSize))
        {
            var logits = model.Forward(EncoderBatches.Pad(set, indices, model.Config.PadTokenId), training: false); // (B, K)
            var classes = logits.Size(1);
            int[] labels = [.. indices.Select(i => set.Labels[i])];
            var probabilities = new float[logits.Span.Length]; // (B, K)
            loss += CrossEntropy.Forward(logits.Span, labels, probabilities, classes) * indices.Length;
            for (var row = 0; row < indices.Length; row++)
            {
                var scores = logits.Span.Slice(row * classes, classes);
                if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(scores) == labels[row]) correct++;
            }
        }
        return new ValidationResult(loss / set.Count, Accuracy: (double)correct / set.Count);
    }
}
