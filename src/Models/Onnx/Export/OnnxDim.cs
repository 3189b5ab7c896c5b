namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>One dimension of a graph input or output: a fixed size, or a symbolic name that any size binds at run time.</summary>
/// <param name="Symbol">The symbolic name (e.g. <c>batch_size</c>), or null for a fixed size.</param>
/// <param name="Size">The fixed size when <paramref name="Symbol"/> is null.</param>
internal readonly record struct OnnxDim(string? Symbol, long Size)
{
    /// <summary>A symbolic dimension.</summary>
    public static implicit operator OnnxDim(string symbol) => new(symbol, 0);

    /// <summary>A fixed dimension.</summary>
    public static implicit operator OnnxDim(long size) => new(null, size);
}
