using EnginePooling = MLNet.Transformers.Tensors.Pooling;

namespace MLNet.Transformers.Models.Pooling;

/// <summary>
/// The engine's pooling kernel (<see cref="EnginePooling"/>) that a <see cref="PoolingMode"/> names, over token states
/// (B, T, C), a (B, T) mask of 1 for real tokens and 0 for padding, and pooled vectors (B, C).
/// </summary>
internal static class PoolingKernels
{
    /// <summary>
    /// output (B, C) = pooling of hidden (B, T, C); <paramref name="argMax"/> (B, C) receives the winning token of
    /// each channel for <see cref="PoolingMode.Max"/>. <see cref="PoolingMode.Cls"/> ignores the mask.
    /// </summary>
    public static void Forward(PoolingMode mode, ReadOnlySpan<float> hidden, ReadOnlySpan<float> mask, Span<float> output,
        Span<int> argMax, int batch, int tokens)
    {
        switch (mode)
        {
            case PoolingMode.Cls: EnginePooling.ClsForward(hidden, output, batch, tokens); break;
            case PoolingMode.Mean: EnginePooling.MeanForward(hidden, mask, output, batch, tokens); break;
            case PoolingMode.MeanSqrtLen: EnginePooling.MeanSqrtLenForward(hidden, mask, output, batch, tokens); break;
            case PoolingMode.Max: EnginePooling.MaxForward(hidden, mask, output, argMax, batch, tokens); break;
            default: throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pooling mode.");
        }
    }

    /// <summary>Adds the gradient of the pooled vectors dOutput (B, C) into dHidden (B, T, C).</summary>
    public static void Backward(PoolingMode mode, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> mask, ReadOnlySpan<int> argMax,
        Span<float> dHidden, int batch, int tokens)
    {
        switch (mode)
        {
            case PoolingMode.Cls: EnginePooling.ClsBackward(dOutput, dHidden, batch, tokens); break;
            case PoolingMode.Mean: EnginePooling.MeanBackward(dOutput, mask, dHidden, batch, tokens); break;
            case PoolingMode.MeanSqrtLen: EnginePooling.MeanSqrtLenBackward(dOutput, mask, dHidden, batch, tokens); break;
            case PoolingMode.Max: EnginePooling.MaxBackward(dOutput, argMax, dHidden, batch, tokens); break;
            default: throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pooling mode.");
        }
    }
}
