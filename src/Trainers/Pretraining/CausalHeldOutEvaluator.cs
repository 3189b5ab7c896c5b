using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>Held-out causal-LM loss and perplexity: exp of the mean next-token loss over every held-out prediction.</summary>
internal sealed class CausalHeldOutEvaluator(Gpt2LMHeadModel model, PackedSequences sequences, int batchSize)
{
    public ValidationResult Evaluate()
    {
        double lossSum = 0;
        long predicted = 0;
        foreach (var chunk in Enumerable.Range(0, sequences.Count).Chunk(batchSize))
        {
            var (ids, labels) = CausalLanguageModelTraining.Batch(sequences, chunk, model.Config.EosTokenId);
            var (loss, count) = model.Loss(ids, chunk.Length, labels);
            lossSum += (double)loss * count;
            predicted += count;
        }
        var mean = predicted == 0 ? double.NaN : lossSum / predicted;
        return new ValidationResult(mean, MetricName: HeldOutEvaluator.MetricName, MetricValue: Math.Exp(mean));
    }
}
