using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Bench.Study;

/// <summary>
/// The transformer's attention from its first token (the one the classifier reads) over the sentence, in its first
/// layer: softmax(q·Kᵀ/√d) per head, computed here from the layer's query and key weights and the embeddings' output.
/// (Part 2 of the issue adds attention extraction for every layer to the library; this is the first layer only.)
/// </summary>
internal static class AttentionMaps
{
    /// <summary>[head][key position] attention weights of the first token in layer 0.</summary>
    public static float[][] FirstTokenAttention(BertForSequenceClassification model, int[] ids)
    {
        var config = model.Config;
        var (t, c, heads) = (ids.Length, config.HiddenSize, config.NumAttentionHeads);
        var d = c / heads;
        var batch = EncoderBatch.Pad([ids], [new int[t]], config.PadTokenId);
        var x = model.Encoder.Embeddings.Forward(batch, training: false).Span.ToArray(); // (1, T, C)
        float[] Project(string which)
        {
            var weight = model.Parameters.Single(p => p.Name.EndsWith($"encoder.layer.0.attention.self.{which}.weight", StringComparison.Ordinal));
            var bias = model.Parameters.Single(p => p.Name.EndsWith($"encoder.layer.0.attention.self.{which}.bias", StringComparison.Ordinal));
            var y = new float[t * c]; // (T, C)
            Linear.Forward(x, weight.Value.Span, bias.Value.Span, y, t, c, c);
            return y;
        }
        var (q, k) = (Project("query"), Project("key"));
        var result = new float[heads][];
        for (var h = 0; h < heads; h++)
        {
            var scores = new float[t];
            for (var j = 0; j < t; j++)
                scores[j] = System.Numerics.Tensors.TensorPrimitives.Dot(q.AsSpan(h * d, d), k.AsSpan(j * c + h * d, d)) / MathF.Sqrt(d);
            System.Numerics.Tensors.TensorPrimitives.SoftMax(scores, scores);
            result[h] = scores;
        }
        return result;
    }
}
