using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Layers;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Attention;

/// <summary>
/// The attention probabilities of a BERT-family encoder, as Hugging Face returns them with
/// <c>output_attentions=True</c>: per layer softmax(Q·Kᵀ/√D + mask) for every sequence and head, padding keys at 0.
/// The encoder runs layer by layer in inference (no dropout); each layer's probabilities come from its own query and
/// key parameters applied to that layer's input, through the same attention kernel the layer runs.
/// </summary>
public static class EncoderAttention
{
    private static readonly string[] Projections = ["query", "key", "value"];

    /// <summary>
    /// One tensor (B, H, T, T) per layer: row i of head h holds how much token i attends to each token. Runs the
    /// model's modules, so it must not run while the same model runs elsewhere or between a training forward and its
    /// backward.
    /// </summary>
    /// <exception cref="ArgumentException">The batch is longer than the model's positions allow.</exception>
    public static IReadOnlyList<Tensor> Compute(BertModel model, EncoderBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.SequenceLength > model.Config.MaxSequenceLength)
            throw new ArgumentException($"The batch is {batch.SequenceLength} tokens long; the model reads at most {model.Config.MaxSequenceLength}.", nameof(batch));
        var mask = new Tensor(batch.BatchSize, batch.SequenceLength); // (B, T) 1 real, 0 padding
        for (var i = 0; i < batch.TokenCount; i++) mask.Span[i] = batch.AttentionMask[i];
        var hidden = model.Embeddings.Forward(batch, training: false); // (B, T, C)
        var result = new List<Tensor>(model.Layers.Count);
        foreach (var layer in model.Layers)
        {
            result.Add(Probabilities(layer, hidden, mask));
            hidden = layer.Forward(hidden, mask, training: false);
        }
        return result;
    }

    /// <summary>The attention probabilities (B, H, T, T) of one layer for its input hidden states (B, T, C).</summary>
    private static Tensor Probabilities(BertEncoderLayer layer, Tensor hidden, Tensor mask)
    {
        var options = layer.Options;
        var (b, t, c) = (hidden.Size(0), hidden.Size(1), options.HiddenSize);
        var shape = new AttentionShape(b, options.AttentionHeads, t, options.HeadSize);
        var (weight, bias) = (new float[3 * c * c], new float[3 * c]); // (3C, C) and (3C): query, key, value rows
        for (var i = 0; i < Projections.Length; i++)
        {
            layer.Parameters[$"attention.self.{Projections[i]}.weight"].Value.Span.CopyTo(weight.AsSpan(i * c * c));
            layer.Parameters[$"attention.self.{Projections[i]}.bias"].Value.Span.CopyTo(bias.AsSpan(i * c));
        }
        var n = b * t;
        var qkv = new float[n * 3 * c]; // (N, 3C)
        Linear.Forward(hidden.Span, weight, bias, qkv, n, c, 3 * c);
        var probabilities = new Tensor(b, shape.Heads, t, t);
        var context = new float[n * c]; // (N, C), not needed
        ScaledDotProductAttention.Forward(qkv, mask.Span, probabilities.Span, [], context, shape, new AttentionOptions(options.Causal));
        return probabilities;
    }
}
