using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>
/// Held-out masked-LM loss and perplexity (exp of the mean loss over masked tokens), with masks drawn from a fixed
/// seed so that every measurement of a run predicts the same tokens.
/// </summary>
internal sealed class HeldOutEvaluator(BertForMaskedLM model, PackedSequences sequences, TokenMasker masker, int batchSize, ulong seed)
{
    /// <summary>The name of the metric in <see cref="ValidationResult.MetricName"/>.</summary>
    public const string MetricName = "perplexity";

    public ValidationResult Evaluate()
    {
        var rng = new Rng(seed);
        double lossSum = 0;
        long predicted = 0;
        var rows = Enumerable.Range(0, sequences.Count).ToArray();
        foreach (var chunk in rows.Chunk(batchSize))
        {
            var batch = MaskedBatch.Create(sequences, chunk, masker, rng, model.Config.PadTokenId);
            var count = batch.Positions.Length;
            if (count == 0) continue;
            lossSum += (double)model.Loss(batch.Inputs, batch.Positions, batch.Targets) * count;
            predicted += count;
        }
        var loss = predicted == 0 ? double.NaN : lossSum / predicted;
        return new ValidationResult(loss, MetricName: MetricName, MetricValue: Math.Exp(loss));
    }
}
