namespace MLNet.Transformers.Tensors.Tests;

/// <summary>Forward and backward of each kernel against PyTorch (fixtures from tools/reference/engine/kernels.py).</summary>
[TestClass]
public sealed class KernelReferenceTests
{
    [TestMethod]
    public void LinearMatchesTorch()
    {
        var f = ReferenceFixture.Load("linear");
        var (n, inF, outF) = (5, 7, 4);
        var y = new float[n * outF];
        Linear.Forward(f["x"], f["weight"], f["bias"], y, n, inF, outF);
        Close.Assert(y, f["y"], Close.Forward, "y");

        var (dx, dw, db) = (new float[n * inF], new float[outF * inF], new float[outF]);
        Linear.Backward(f["dy"], f["x"], f["weight"], dx, dw, db, n, inF, outF);
        Close.Assert(dx, f["dx"], Close.Gradient, "dx");
        Close.Assert(dw, f["dweight"], Close.Gradient, "dweight");
        Close.Assert(db, f["dbias"], Close.Gradient, "dbias");
    }

    [TestMethod]
    public void LayerNormMatchesTorch()
    {
        var f = ReferenceFixture.Load("layer_norm");
        var (rows, c) = (6, 10);
        var (y, mean, rstd) = (new float[rows * c], new float[rows], new float[rows]);
        LayerNorm.Forward(f["x"], f["gamma"], f["beta"], y, mean, rstd, rows, 1e-5f);
        Close.Assert(y, f["y"], Close.Forward, "y");

        var (dx, dg, db) = (new float[rows * c], new float[c], new float[c]);
        LayerNorm.Backward(f["dy"], f["x"], f["gamma"], mean, rstd, dx, dg, db, rows);
        Close.Assert(dx, f["dx"], Close.Gradient, "dx");
        Close.Assert(dg, f["dgamma"], Close.Gradient, "dgamma");
        Close.Assert(db, f["dbeta"], Close.Gradient, "dbeta");
    }

    [TestMethod]
    [DataRow(ActivationKind.Gelu, "gelu")]
    [DataRow(ActivationKind.GeluTanh, "gelu_tanh")]
    [DataRow(ActivationKind.Relu, "relu")]
    [DataRow(ActivationKind.Tanh, "tanh")]
    public void ActivationMatchesTorch(ActivationKind kind, string name)
    {
        var f = ReferenceFixture.Load("activation_" + name);
        var x = f["x"];
        var y = new float[x.Length];
        Activation.Forward(kind, x, y);
        Close.Assert(y, f["y"], Close.Forward, "y");

        var dx = new float[x.Length];
        Activation.Backward(kind, f["dy"], x, dx);
        Close.Assert(dx, f["dx"], Close.Gradient, "dx");
    }

    [TestMethod]
    public void SoftmaxMatchesTorch()
    {
        var f = ReferenceFixture.Load("softmax");
        var y = new float[36];
        Softmax.Forward(f["x"], y, rows: 4);
        Close.Assert(y, f["y"], Close.Forward, "y");

        var dx = new float[36];
        Softmax.Backward(f["dy"], y, dx, rows: 4);
        Close.Assert(dx, f["dx"], Close.Gradient, "dx");
    }

    [TestMethod]
    [DataRow("attention", false)]
    [DataRow("attention_causal", true)]
    public void AttentionMatchesTorch(string name, bool causal)
    {
        var f = ReferenceFixture.Load(name);
        var shape = new AttentionShape(2, 3, 5, 4);
        var options = new AttentionOptions(Causal: causal);
        var (probabilities, context) = (new float[shape.ScoreElements], new float[shape.HeadElements]);
        ScaledDotProductAttention.Forward(f["qkv"], f["mask"], probabilities, [], context, shape, options);
        Close.Assert(context, f["y"], Close.Forward, "context");

        var dQkv = new float[3 * shape.HeadElements];
        ScaledDotProductAttention.Backward(f["dy"], f["qkv"], probabilities, [], new float[shape.ScoreElements], dQkv, shape, options);
        Close.Assert(dQkv, f["dqkv"], Close.Gradient, "dqkv");
    }

    [TestMethod]
    public void EmbeddingMatchesTorch()
    {
        var f = ReferenceFixture.Load("embedding");
        var ids = f.Ints("ids");
        var y = new float[ids.Length * 5];
        Embedding.Forward(ids, f["table"], y, 5);
        Close.Assert(y, f["y"], Close.Forward, "y");

        var dTable = new float[35];
        Embedding.Backward(ids, f["dy"], dTable, 5);
        Close.Assert(dTable, f["dtable"], Close.Gradient, "dtable");
    }

    [TestMethod]
    [DataRow("cross_entropy")]
    [DataRow("cross_entropy_smoothed")]
    [DataRow("cross_entropy_weighted_smoothed")]
    public void CrossEntropyMatchesTorch(string name)
    {
        var f = ReferenceFixture.Load(name);
        var options = new CrossEntropyOptions
        {
            LabelSmoothing = f["label_smoothing"][0],
            ClassWeights = f.Has("weight") ? f["weight"] : null,
        };
        var (logits, targets) = (f["logits"], f.Ints("targets"));
        var probabilities = new float[logits.Length];
        var loss = CrossEntropy.Forward(logits, targets, probabilities, 5, options);
        Close.Assert([loss], f["loss"], Close.Forward, "loss");

        var dLogits = new float[logits.Length];
        CrossEntropy.Backward(probabilities, targets, dLogits, 5, options);
        Close.Assert(dLogits, f["dlogits"], Close.Gradient, "dlogits");
    }

    [TestMethod]
    [DataRow("cls")]
    [DataRow("mean")]
    [DataRow("max")]
    public void PoolingMatchesSentenceTransformersSemantics(string mode)
    {
        var f = ReferenceFixture.Load("pooling_" + mode);
        var (hidden, mask) = (f["hidden"], f["mask"]);
        var (pooled, dHidden, argmax) = (new float[6], new float[24], new int[6]);
        switch (mode)
        {
            case "cls":
                Pooling.ClsForward(hidden, pooled, 2, 4);
                Pooling.ClsBackward(f["dy"], dHidden, 2, 4);
                break;
            case "mean":
                Pooling.MeanForward(hidden, mask, pooled, 2, 4);
                Pooling.MeanBackward(f["dy"], mask, dHidden, 2, 4);
                break;
            default:
                Pooling.MaxForward(hidden, mask, pooled, argmax, 2, 4);
                Pooling.MaxBackward(f["dy"], argmax, dHidden, 2, 4);
                break;
        }
        Close.Assert(pooled, f["y"], Close.Forward, "pooled");
        Close.Assert(dHidden, f["dhidden"], Close.Gradient, "dhidden");
    }
}
