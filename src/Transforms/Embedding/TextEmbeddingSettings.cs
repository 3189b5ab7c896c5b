using MLNet.Transformers.Models.Pooling;

namespace MLNet.Transformers.Transforms;

/// <summary>The settings a <see cref="TextEmbedder"/> runs with, once the checkpoint's defaults are applied (saved with a pipeline).</summary>
public sealed record TextEmbeddingSettings
{
    /// <summary>The poolings applied, concatenated in sentence-transformers order (cls, max, mean, mean-sqrt-len).</summary>
    public required IReadOnlyList<PoolingMode> PoolingModes { get; init; }

    /// <summary>Whether each vector is scaled to unit L2 norm.</summary>
    public required bool Normalize { get; init; }

    /// <summary>The longest sequence in tokens, special tokens included.</summary>
    public required int MaximumTokens { get; init; }

    /// <summary>Sequences run through the model at once.</summary>
    public required int BatchSize { get; init; }

    /// <summary>What happens to longer texts.</summary>
    public required LongTextMode LongTextMode { get; init; }

    /// <summary>Tokens consecutive windows share in <see cref="LongTextMode.SlidingWindow"/>.</summary>
    public required int WindowOverlap { get; init; }

    /// <summary>Whether texts are lower-cased before tokenizing (sentence-transformers' <c>do_lower_case</c>).</summary>
    public required bool LowercaseText { get; init; }

    /// <summary>The arithmetic of the encoder's dense products (<see cref="Precision.Float32"/> in pipelines saved before it existed).</summary>
    public Precision Precision { get; init; } = Precision.Float32;
}
