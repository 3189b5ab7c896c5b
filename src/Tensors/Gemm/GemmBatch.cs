namespace MLNet.Transformers.Tensors;

/// <summary>An outer × inner batch of products of one shape, with where each operand's matrices lie.</summary>
internal readonly record struct GemmBatch(int Outer, int Inner, MatrixLayout A, MatrixLayout B, MatrixLayout C)
{
    /// <summary>Number of products.</summary>
    public int Count => Outer * Inner;

    /// <summary>Product <paramref name="index"/> (outer-major) as a problem on the storage of <paramref name="first"/>.</summary>
    public unsafe GemmProblem Locate(GemmProblem first, int index)
    {
        int outer = index / Inner, inner = index % Inner;
        return first.At(first.A + A.Offset(outer, inner), first.B + B.Offset(outer, inner), first.C + C.Offset(outer, inner));
    }
}
