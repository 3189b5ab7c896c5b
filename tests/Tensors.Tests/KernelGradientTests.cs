namespace MLNet.Transformers.Tensors.Tests;

/// <summary>
/// Every backward kernel against central finite differences of its forward (<see cref="GradientCheck"/>), with the
/// loss Σ r ⊙ y for a random r so that the upstream gradient is r.
/// </summary>
[TestClass]
public sealed class KernelGradientTests
{
    private static void AssertGradient(float[] input, float[] analytic, Func<double> loss, string what) =>
        Assert.IsLessThanOrEqualTo(Close.FiniteDifference, GradientCheck.RelativeError(input, analytic, loss), what);

    [TestMethod]
    public void Linear()
    {
        var (n, inF, outF) = (3, 5, 4);
        var (x, w, b, r) = (TestData.Normal(n * inF, 1), TestData.Normal(outF * inF, 2), TestData.Normal(outF, 3), TestData.Normal(n * outF, 4));
        var y = new float[n * outF];
        double Loss()
        {
            Tensors.Linear.Forward(x, w, b, y, n, inF, outF);
            return GradientCheck.WeightedSum(y, r);
        }
        var (dx, dw, db) = (new float[x.Length], new float[w.Length], new float[b.Length]);
        Tensors.Linear.Backward(r, x, w, dx, dw, db, n, inF, outF);
        AssertGradient(x, dx, Loss, "dx");
        AssertGradient(w, dw, Loss, "dweight");
        AssertGradient(b, db, Loss, "dbias");
    }

    [TestMethod]
    public void LayerNorm()
    {
        var (rows, c) = (3, 6);
        var (x, gamma, beta, r) = (TestData.Normal(rows * c, 5, 2f), TestData.Normal(c, 6), TestData.Normal(c, 7), TestData.Normal(rows * c, 8));
        var (y, mean, rstd) = (new float[rows * c], new float[rows], new float[rows]);
        double Loss()
        {
            Tensors.LayerNorm.Forward(x, gamma, beta, y, mean, rstd, rows, 1e-5f);
            return GradientCheck.WeightedSum(y, r);
        }
        Loss();
        var (dx, dg, db) = (new float[x.Length], new float[c], new float[c]);
        Tensors.LayerNorm.Backward(r, x, gamma, mean, rstd, dx, dg, db, rows);
        AssertGradient(x, dx, Loss, "dx");
        AssertGradient(gamma, dg, Loss, "dgamma");
        AssertGradient(beta, db, Loss, "dbeta");
    }

    [TestMethod]
    [DataRow(ActivationKind.Gelu)]
    [DataRow(ActivationKind.GeluTanh)]
    [DataRow(ActivationKind.Relu)]
    [DataRow(ActivationKind.Tanh)]
    public void BiasActivation(ActivationKind kind)
    {
        var (rows, c) = (3, 11); // 11 columns: one full vector and a partial tail
        var (x, bias, r) = (TestData.Normal(rows * c, 9, 2f), TestData.Normal(c, 10), TestData.Normal(rows * c, 11));
        var (pre, act) = (new float[x.Length], new float[x.Length]);
        double Loss()
        {
            x.CopyTo(pre, 0);
            Activation.BiasForward(kind, bias, pre, act, rows);
            return GradientCheck.WeightedSum(act, r);
        }
        Loss();
        var (dPre, dBias) = (new float[x.Length], new float[c]);
        Activation.BiasBackward(kind, r, pre, dPre, dBias, rows);
        AssertGradient(x, dPre, Loss, "dpre");
        AssertGradient(bias, dBias, Loss, "dbias");
    }

    [TestMethod]
    public void Softmax()
    {
        var (x, r, y) = (TestData.Normal(12, 12, 2f), TestData.Normal(12, 13), new float[12]);
        double Loss()
        {
            Tensors.Softmax.Forward(x, y, rows: 3);
            return GradientCheck.WeightedSum(y, r);
        }
        Loss();
        var dx = new float[12];
        Tensors.Softmax.Backward(r, y, dx, rows: 3);
        AssertGradient(x, dx, Loss, "dx");
    }

    [TestMethod]
    [DataRow(false, 0f, 4)]
    [DataRow(true, 0f, 4)]
    [DataRow(false, 0.3f, 4)]
    [DataRow(true, 0.3f, 19)] // rows of two full vectors and a partial one
    public void Attention(bool causal, float dropout, int tokens)
    {
        var shape = new AttentionShape(2, 2, tokens, 3);
        var options = new AttentionOptions(causal, dropout, DropoutKey: 42);
        var (qkv, r) = (TestData.Normal(3 * shape.HeadElements, 14), TestData.Normal(shape.HeadElements, 17));
        var mask = Enumerable.Range(0, 2 * tokens).Select(i => i < tokens + tokens / 2 ? 1f : 0f).ToArray();
        var (p, dropped, y) = (new float[shape.ScoreElements], new float[shape.ScoreElements], new float[shape.HeadElements]);
        double Loss()
        {
            ScaledDotProductAttention.Forward(qkv, mask, p, dropped, y, shape, options);
            return GradientCheck.WeightedSum(y, r);
        }
        Loss();
        var dQkv = new float[qkv.Length];
        ScaledDotProductAttention.Backward(r, qkv, p, dropped, new float[shape.ScoreElements], dQkv, shape, options);
        Assert.IsLessThanOrEqualTo(Close.FiniteDifference, GradientCheck.RelativeError(qkv, dQkv, Loss, maxElements: 128), "dqkv");
    }

    [TestMethod]
    public void Dropout()
    {
        var (x, r, y) = (TestData.Normal(50, 18), TestData.Normal(50, 19), new float[50]);
        double Loss()
        {
            Tensors.Dropout.Forward(x, y, 0.4f, key: 7);
            return GradientCheck.WeightedSum(y, r);
        }
        var dx = new float[50];
        Tensors.Dropout.Backward(r, dx, 0.4f, key: 7);
        AssertGradient(x, dx, Loss, "dx");
    }

    [TestMethod]
    public void Embedding()
    {
        int[] ids = [2, 0, 2, 3];
        var (table, r, y) = (TestData.Normal(4 * 3, 20), TestData.Normal(ids.Length * 3, 21), new float[ids.Length * 3]);
        double Loss()
        {
            Tensors.Embedding.Forward(ids, table, y, 3);
            return GradientCheck.WeightedSum(y, r);
        }
        var dTable = new float[table.Length];
        Tensors.Embedding.Backward(ids, r, dTable, 3);
        AssertGradient(table, dTable, Loss, "dtable");
    }

    [TestMethod]
    public void CrossEntropyWithEveryOption()
    {
        var options = new CrossEntropyOptions { IgnoreIndex = 9, LabelSmoothing = 0.15f, ClassWeights = [0.5f, 2f, 1f, 1.5f] };
        int[] targets = [1, 9, 3, 0];
        var (logits, p) = (TestData.Normal(16, 22, 2f), new float[16]);
        double Loss() => CrossEntropy.Forward(logits, targets, p, 4, options);
        Loss();
        var dLogits = new float[16];
        CrossEntropy.Backward(p, targets, dLogits, 4, options);
        AssertGradient(logits, dLogits, Loss, "dlogits");
    }

    [TestMethod]
    public void Residual()
    {
        var (a, b, r, y) = (TestData.Normal(10, 25), TestData.Normal(10, 26), TestData.Normal(10, 27), new float[10]);
        double Loss()
        {
            Tensors.Residual.Forward(a, b, y);
            return GradientCheck.WeightedSum(y, r);
        }
        var (da, db) = (new float[10], new float[10]);
        Tensors.Residual.Backward(r, da);
        Tensors.Residual.Backward(r, db);
        AssertGradient(a, da, Loss, "da");
        AssertGradient(b, db, Loss, "db");
    }

    [TestMethod]
    [DataRow(0f)]
    [DataRow(0.3f)]
    public void BiasDropoutResidual(float p)
    {
        var (rows, c) = (3, 13);
        var (x, bias, residual, r) = (TestData.Normal(rows * c, 30), TestData.Normal(c, 31), TestData.Normal(rows * c, 32),
            TestData.Normal(rows * c, 33));
        var y = new float[rows * c];
        double Loss()
        {
            Tensors.BiasDropoutResidual.Forward(x, bias, residual, y, rows, p, key: 11);
            return GradientCheck.WeightedSum(y, r);
        }
        var (dx, dBias) = (new float[x.Length], new float[c]);
        Tensors.BiasDropoutResidual.Backward(r, dx, dBias, rows, p, key: 11);
        AssertGradient(x, dx, Loss, "dx");
        AssertGradient(bias, dBias, Loss, "dbias");
        AssertGradient(residual, r, Loss, "dresidual");
    }

    [TestMethod]
    public void ClsPooling()
    {
        var (hidden, r, pooled) = (TestData.Normal(2 * 3 * 4, 28), TestData.Normal(2 * 4, 29), new float[2 * 4]);
        double Loss()
        {
            Pooling.ClsForward(hidden, pooled, 2, 3);
            return GradientCheck.WeightedSum(pooled, r);
        }
        var dHidden = new float[hidden.Length];
        Pooling.ClsBackward(r, dHidden, 2, 3);
        AssertGradient(hidden, dHidden, Loss, "dhidden");
    }

    [TestMethod]
    public void MeanAndMaxPooling()
    {
        var (b, t, c) = (2, 3, 4);
        float[] mask = [1, 1, 0, 1, 1, 1];
        var (hidden, r, pooled, argmax) = (TestData.Normal(b * t * c, 23), TestData.Normal(b * c, 24), new float[b * c], new int[b * c]);
        double MeanLoss()
        {
            Pooling.MeanForward(hidden, mask, pooled, b, t);
            return GradientCheck.WeightedSum(pooled, r);
        }
        double MaxLoss()
        {
            Pooling.MaxForward(hidden, mask, pooled, argmax, b, t);
            return GradientCheck.WeightedSum(pooled, r);
        }
        var dHidden = new float[hidden.Length];
        Pooling.MeanBackward(r, mask, dHidden, b, t);
        AssertGradient(hidden, dHidden, MeanLoss, "mean");
        MaxLoss();
        Array.Clear(dHidden);
        Pooling.MaxBackward(r, argmax, dHidden, b, t);
        AssertGradient(hidden, dHidden, MaxLoss, "max");
    }
}
