namespace MLNet.Transformers.Tensors;

/// <summary>
/// One product <c>C (m×n) = A (m×k) · Bᵀ + bias</c> of float activations by a <see cref="QuantizedMatrix"/>, over
/// pinned row-major storage, already validated: A's rows are quantised as the product runs.
/// </summary>
internal readonly unsafe struct Int8Problem(float* a, float* c, int m, int n, int k, QuantizedMatrix.Panels b, float* bias)
{
    /// <summary>First element of A (m×k, rows k floats apart).</summary>
    public float* A => a;

    /// <summary>First element of C (m×n, rows n floats apart).</summary>
    public float* C => c;

    /// <summary>Rows of A and C.</summary>
    public int M => m;

    /// <summary>Columns of C (output channels of B).</summary>
    public int N => n;

    /// <summary>Length of the shared dimension.</summary>
    public int K => k;

    /// <summary>B's packed panels and per-column terms.</summary>
    public QuantizedMatrix.Panels B => b;

    /// <summary>Null, or n values added to every row of C.</summary>
    public float* Bias => bias;

    /// <summary>Multiply-adds the product takes.</summary>
    public long MultiplyAdds => (long)M * N * K;
}
