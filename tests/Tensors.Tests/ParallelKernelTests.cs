namespace MLNet.Transformers.Tensors.Tests;

/// <summary>
/// Kernels that reduce over rows keep per-block partial sums: on many threads they agree with one thread, and repeat
/// bit for bit at the same thread count. Shapes here are large enough to be split into several blocks.
/// </summary>
[TestClass]
public sealed class ParallelKernelTests
{
    private const int Rows = 256, Columns = 200;

    [TestMethod]
    public void LayerNormBackwardIsDeterministicAndAgreesAcrossThreadCounts()
    {
        var (x, dy, gamma) = (TestData.Normal(Rows * Columns, 1), TestData.Normal(Rows * Columns, 2), TestData.Normal(Columns, 3));
        float[] Run()
        {
            var (y, mean, rstd) = (new float[x.Length], new float[Rows], new float[Rows]);
            LayerNorm.Forward(x, gamma, new float[Columns], y, mean, rstd, Rows, 1e-5f);
            var (dx, dGamma, dBeta) = (new float[x.Length], new float[Columns], new float[Columns]);
            LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dGamma, dBeta, Rows);
            return [.. dx, .. dGamma, .. dBeta];
        }
        Compare(Run);
    }

    [TestMethod]
    public void BiasActivationBackwardIsDeterministicAndAgreesAcrossThreadCounts()
    {
        var (pre, dAct) = (TestData.Normal(Rows * Columns, 4), TestData.Normal(Rows * Columns, 5));
        float[] Run()
        {
            var (dPre, dBias) = (new float[pre.Length], new float[Columns]);
            Activation.BiasBackward(ActivationKind.Gelu, dAct, pre, dPre, dBias, Rows);
            return [.. dPre, .. dBias];
        }
        Compare(Run);
    }

    [TestMethod]
    public void FlatActivationsAgreeAcrossThreadCounts()
    {
        var (x, dy) = (TestData.Normal(3 * 4096 + 77, 7), TestData.Normal(3 * 4096 + 77, 8)); // whole rows and a remainder
        float[] Run()
        {
            var (y, dx) = (new float[x.Length], new float[x.Length]);
            Activation.Forward(ActivationKind.GeluTanh, x, y);
            Activation.Backward(ActivationKind.GeluTanh, dy, x, dx);
            return [.. y, .. dx];
        }
        Compare(Run);
        var serial = Run();
        var rowwise = new float[x.Length];
        Activation.BiasForward(ActivationKind.GeluTanh, new float[x.Length], x.ToArray(), rowwise, rows: 1);
        CollectionAssert.AreEqual(rowwise, serial[..x.Length]);
    }

    [TestMethod]
    public void BiasColumnSumsAgreeAcrossThreadCountsAndWithDoublePrecision()
    {
        var dy = TestData.Normal(Rows * Columns, 6);
        float[] Run()
        {
            var dBias = new float[Columns];
            Bias.AccumulateColumnSums(dy, dBias, Rows);
            return dBias;
        }
        Compare(Run);
        var expected = Enumerable.Range(0, Columns)
            .Select(j => (float)Enumerable.Range(0, Rows).Sum(r => (double)dy[r * Columns + j])).ToArray();
        Close.Assert(Run(), expected, Close.Forward, "column sums");
    }

    [TestMethod]
    [DataRow(3, 7, 4, false, DisplayName = "head size below one vector, keys in one vector")]
    [DataRow(2, 19, 12, false, DisplayName = "head size and keys with partial vectors")]
    [DataRow(2, 19, 16, true, DisplayName = "causal")]
    public void AttentionBySequenceEqualsTheBatchedForward(int heads, int tokens, int headSize, bool causal)
    {
        var shape = new AttentionShape(Batch: 5, heads, tokens, headSize); // 5 sequences: uneven parts
        var qkv = TestData.Normal(3 * shape.HeadElements, 11);
        var mask = Enumerable.Range(0, shape.Batch * shape.Tokens).Select(i => i % shape.Tokens < 3 + i / shape.Tokens % 4 ? 1f : 0f).ToArray();
        var batched = new float[shape.HeadElements];
        ScaledDotProductAttention.Forward(qkv, mask, new float[shape.ScoreElements], [], batched, shape, new AttentionOptions(causal));
        float[] Run()
        {
            var context = new float[shape.HeadElements];
            var scratch = new float[ScaledDotProductAttention.SequenceScratchLength(shape)];
            ScaledDotProductAttention.ForwardBySequence(qkv, mask, scratch, context, shape, causal);
            return context;
        }
        Compare(Run);
        CollectionAssert.AreEqual(batched, Run(), "one sequence at a time vs the whole batch");
    }

    private static void Compare(Func<float[]> run)
    {
        var serial = Parallelism.WithDegree(1, run);
        var parallel = Parallelism.WithDegree(4, run);
        CollectionAssert.AreEqual(parallel, Parallelism.WithDegree(4, run), "repeat at the same thread count");
        Close.Assert(parallel, serial, Close.Forward, "many threads vs one");
    }
}
