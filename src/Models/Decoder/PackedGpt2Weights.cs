using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// The weight matrices of a <see cref="Gpt2LMHeadModel"/> prepared once by its backend for the products of
/// generation (a snapshot of their values; packed on the managed engine): per block the query/key/value, attention
/// output, feed-forward in and out projections (their Conv1D layout resolved here), and the tied head (the token
/// embeddings). Products over them give the bits of the unprepared products without repacking every weight for
/// every token.
/// </summary>
internal sealed class PackedGpt2Weights
{
    public PackedGpt2Weights(ComputeBackend backend, IEnumerable<Gpt2BlockDeviceParameters> blocks, DeviceParameter tokenEmbeddings)
    {
        Blocks = [.. blocks.Select(block => PackedBlockWeights.Prepare(backend, block))];
        Head = backend.PrepareWeight(tokenEmbeddings, Precision.Float32);
    }

    /// <summary>Each block's prepared matrices, in order.</summary>
    public IReadOnlyList<PackedBlockWeights> Blocks { get; }

    /// <summary>The head: the token embeddings (V, C) as a prepared (C → V) linear weight.</summary>
    public DeviceTensor Head { get; }
}

/// <summary>The four weight matrices of one GPT-2 block, prepared for <see cref="ComputeBackend.Linear"/>.</summary>
internal sealed record PackedBlockWeights(DeviceTensor Qkv, DeviceTensor AttentionOutput, DeviceTensor Inner, DeviceTensor Output)
{
    public static PackedBlockWeights Prepare(ComputeBackend backend, Gpt2BlockDeviceParameters p) => new(
        backend.PrepareConv1DWeight(p.QkvWeight, Precision.Float32),
        backend.PrepareConv1DWeight(p.AttentionOutputWeight, Precision.Float32),
        backend.PrepareConv1DWeight(p.InnerWeight, Precision.Float32),
        backend.PrepareConv1DWeight(p.OutputWeight, Precision.Float32));
}
