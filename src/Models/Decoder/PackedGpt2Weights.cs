using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// The weight matrices of a <see cref="Gpt2LMHeadModel"/> packed once for the products of generation (a snapshot of
/// their values): per block the query/key/value, attention output, feed-forward in and out projections, and the
/// tied head (the token embeddings). Products over them give the bits of the unpacked products without repacking
/// every weight for every token.
/// </summary>
internal sealed class PackedGpt2Weights
{
    public PackedGpt2Weights(IReadOnlyList<Gpt2Block> blocks, Parameter tokenEmbeddings)
    {
        Blocks = [.. blocks.Select(block => PackedBlockWeights.Pack(block.Parameters))];
        var (v, c) = (tokenEmbeddings.Value.Size(0), tokenEmbeddings.Value.Size(1));
        Head = Linear.Pack(tokenEmbeddings.Value.Span, c, v);
    }

    /// <summary>Each block's packed matrices, in order.</summary>
    public IReadOnlyList<PackedBlockWeights> Blocks { get; }

    /// <summary>The head: the token embeddings (V, C) packed as a (C → V) linear weight.</summary>
    public PackedMatrix Head { get; }
}

/// <summary>The four weight matrices of one GPT-2 block, packed.</summary>
internal sealed record PackedBlockWeights(PackedMatrix Qkv, PackedMatrix AttentionOutput, PackedMatrix Inner, PackedMatrix Output)
{
    public static PackedBlockWeights Pack(Gpt2BlockParameters p) => new(
        Conv1D.Pack(p.QkvWeight.Value.Span, p.QkvWeight.Value.Size(0), p.QkvWeight.Value.Size(1)),
        Conv1D.Pack(p.AttentionOutputWeight.Value.Span, p.AttentionOutputWeight.Value.Size(0), p.AttentionOutputWeight.Value.Size(1)),
        Conv1D.Pack(p.InnerWeight.Value.Span, p.InnerWeight.Value.Size(0), p.InnerWeight.Value.Size(1)),
        Conv1D.Pack(p.OutputWeight.Value.Span, p.OutputWeight.Value.Size(0), p.OutputWeight.Value.Size(1)));
}
