namespace MLNet.Transformers.Tensors;

/// <summary>
/// One product <c>C (m×n) (+)= op(A) (m×k) · op(B) (k×n)</c>, optionally plus a bias row, over pinned row-major
/// storage, already validated.
/// Element (i, p) of op(A) is <c>A[i·lda + p]</c>, or <c>A[p·lda + i]</c> when A is transposed; likewise for B.
/// </summary>
internal readonly unsafe struct GemmProblem(
    float* a, nint lda, bool transposeA,
    float* b, nint ldb, bool transposeB,
    float* c, nint ldc,
    int m, int n, int k, bool accumulate, float* bias = null)
{
    /// <summary>First element of A.</summary>
    public float* A => a;

    /// <summary>First element of B.</summary>
    public float* B => b;

    /// <summary>First element of C.</summary>
    public float* C => c;

    /// <summary>Distance in floats between consecutive rows of C.</summary>
    public nint Ldc => ldc;

    /// <summary>Rows of C.</summary>
    public int M => m;

    /// <summary>Columns of C.</summary>
    public int N => n;

    /// <summary>Length of the shared dimension.</summary>
    public int K => k;

    /// <summary>Add to C rather than overwrite it.</summary>
    public bool Accumulate => accumulate;

    /// <summary>Null, or n values added to every row of C (only when not <see cref="Accumulate"/>).</summary>
    public float* Bias => bias;

    /// <summary>Multiply-adds the product takes.</summary>
    public long MultiplyAdds => (long)M * N * K;

    /// <summary>Distance between consecutive rows of op(A) (the lanes packed into A panels).</summary>
    public nint ARowStride => transposeA ? 1 : lda;

    /// <summary>Distance between consecutive steps along k within a row of op(A).</summary>
    public nint ADepthStride => transposeA ? lda : 1;

    /// <summary>Distance between consecutive columns of op(B) (the lanes packed into B panels).</summary>
    public nint BColumnStride => transposeB ? ldb : 1;

    /// <summary>Distance between consecutive steps along k within a column of op(B).</summary>
    public nint BDepthStride => transposeB ? 1 : ldb;

    /// <summary>The same product on other storage (the next matrices of a batch).</summary>
    public GemmProblem At(float* otherA, float* otherB, float* otherC) =>
        new(otherA, lda, transposeA, otherB, ldb, transposeB, otherC, ldc, m, n, k, accumulate, bias);
}
