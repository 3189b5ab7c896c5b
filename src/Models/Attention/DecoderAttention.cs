using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Attention;

/// <summary>
/// The attention probabilities of GPT-2, as Hugging Face returns them with <c>output_attentions=True</c>: per block
/// the causal softmax(Q·Kᵀ/√D) for every sequence and head, keys after the query at 0. The model runs block by block
/// in inference; each block's probabilities come from its own <c>ln_1</c> and <c>c_attn</c> applied to that block's
/// input, through the same attention kernel the block runs.
/// </summary>
public static class DecoderAttention
{
    /// <summary>
    /// One tensor (B, H, T, T) per block for <paramref name="batchSize"/> sequences of equal length (ids row-major).
    /// Runs the model's blocks, so it must not run while the same model runs elsewhere or between a training forward
    /// and its backward.
    /// </summary>
    /// <exception cref="ArgumentException">The ids do not split into the batch, or the sequences are longer than n_positions.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public static IReadOnlyList<Tensor> Compute(Gpt2LMHeadModel model, ReadOnlySpan<int> inputIds, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var config = model.Config;
        if (inputIds.Length == 0 || inputIds.Length % batchSize != 0)
            throw new ArgumentException($"{inputIds.Length} ids do not split into {batchSize} sequences of at least one token.", nameof(inputIds));
        var t = inputIds.Length / batchSize;
        if (t > config.MaxPositions)
            throw new ArgumentException($"The sequences are {t} tokens long; the model reads at most {config.MaxPositions}.", nameof(inputIds));
        var hidden = Embed(model, inputIds, batchSize, t); // (B, T, C)
        var result = new List<Tensor>(model.Blocks.Count);
        foreach (var block in model.Blocks)
        {
            result.Add(Probabilities(block, config, hidden));
            hidden = block.Forward(hidden, training: false);
        }
        return result;
    }

    /// <summary>Token plus position embeddings (B, T, C), as the model's inference forward (no dropout).</summary>
    private static Tensor Embed(Gpt2LMHeadModel model, ReadOnlySpan<int> ids, int b, int t)
    {
        var c = model.Config.HiddenSize;
        var tokens = model.TokenEmbeddings.Value.Span; // (V, C)
        var positions = model.PositionEmbeddings.Value.Span; // (n_positions, C)
        var hidden = new Tensor(b, t, c);
        for (var i = 0; i < ids.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(ids[i], nameof(ids));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ids[i], model.Config.VocabSize, nameof(ids));
            var row = hidden.Span.Slice(i * c, c);
            tokens.Slice(ids[i] * c, c).CopyTo(row);
            System.Numerics.Tensors.TensorPrimitives.Add(row, positions.Slice(i % t * c, c), row);
        }
        return hidden;
    }

    /// <summary>The causal attention probabilities (B, H, T, T) of one block for its input hidden states (B, T, C).</summary>
    private static Tensor Probabilities(Gpt2Block block, Gpt2Config config, Tensor hidden)
    {
        var p = block.Parameters;
        var (b, t, c) = (hidden.Size(0), hidden.Size(1), hidden.Size(2));
        var n = b * t;
        var normed = new float[n * c]; // (N, C) ln_1(x)
        LayerNorm.Forward(hidden.Span, p.AttentionNormWeight.Value.Span, p.AttentionNormBias.Value.Span, normed, [], [], n, (float)config.LayerNormEpsilon);
        var qkv = new float[n * 3 * c]; // (N, 3C)
        Conv1D.Forward(normed, p.QkvWeight.Value.Span, p.QkvBias.Value.Span, qkv, n, c, 3 * c);
        var shape = new AttentionShape(b, config.NumHeads, t, config.HeadSize);
        var probabilities = new Tensor(b, config.NumHeads, t, t);
        var context = new float[n * c]; // (N, C), not needed
        ScaledDotProductAttention.Forward(qkv, [], probabilities.Span, [], context, shape, new AttentionOptions(Causal: true));
        return probabilities;
    }
}
