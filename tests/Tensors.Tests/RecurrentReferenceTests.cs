namespace MLNet.Transformers.Tensors.Tests;

/// <summary>
/// The recurrent kernels against PyTorch (fixtures of <c>tools/reference/engine/recurrent.py</c>): <c>nn.LSTM</c> and
/// <c>nn.GRU</c>, bidirectional, one and two layers, over a <c>pack_padded_sequence</c> of lengths 6, 3 and 1, with the
/// loss Σ dy ⊙ y + Σ dh_n ⊙ h_n[-2:]; and additive attention pooling.
/// </summary>
[TestClass]
public sealed class RecurrentReferenceTests
{
    [TestMethod]
    [DataRow("lstm", 1)]
    [DataRow("lstm", 2)]
    [DataRow("gru", 1)]
    [DataRow("gru", 2)]
    public void StackMatchesPyTorch(string kind, int layers)
    {
        var f = ReferenceFixture.Load($"{kind}_{layers}layer");
        var (batch, steps, inputs) = (f.Shape("x")[0], f.Shape("x")[1], f.Shape("x")[2]);
        var hidden = f.Shape("h_n")[2];
        var stack = new RecurrentStack(kind == "lstm" ? RecurrentCell.Lstm : RecurrentCell.Gru, inputs, hidden, layers, bidirectional: true);
        foreach (var p in stack.Parameters) p.Load(f[p.Name]);
        var lengths = f.Ints("lengths");
        var activations = stack.CreateActivations();
        var x = Tensor.Wrap(f["x"], 0, batch, steps, inputs);
        var y = stack.Forward(x, lengths, activations);
        Close.Assert(y.Span, f["y"], Close.Forward, "y");
        var final = new float[batch * stack.OutputSize];
        stack.FinalStates(y, lengths, final);
        Close.Assert(final, DirectionsSideBySide(f["h_n"], batch, hidden), Close.Forward, "h_n");

        var dy = Tensor.Wrap(f["dy"], 0, batch, steps, stack.OutputSize);
        stack.FinalStatesBackward(DirectionsSideBySide(f["dh_n"], batch, hidden), lengths, dy);
        var dx = stack.Backward(dy, activations);
        Close.Assert(dx.Span, f["dx"], Close.Gradient, "dx");
        foreach (var p in stack.Parameters) Close.Assert(p.Gradient.Span, f["d" + p.Name], Close.Gradient, "d" + p.Name);
    }

    [TestMethod]
    public void AdditiveAttentionMatchesPyTorch()
    {
        var f = ReferenceFixture.Load("additive_attention");
        var (batch, steps, width) = (f.Shape("h")[0], f.Shape("h")[1], f.Shape("h")[2]);
        var size = f.Shape("query")[0];
        var (h, lengths, weight, query) = (f["h"], f.Ints("lengths"), f["weight"], f["query"]);
        var (projected, attention, context) = (new float[batch * steps * size], new float[batch * steps], new float[batch * width]);
        AdditiveAttention.Forward(h, lengths, weight, f["bias"], query, projected, attention, context, batch, steps);
        Close.Assert(attention, f["attention"], Close.Forward, "attention");
        Close.Assert(context, f["context"], Close.Forward, "context");
        var (dh, dWeight, dBias, dQuery) = (new float[h.Length], new float[weight.Length], new float[size], new float[size]);
        AdditiveAttention.Backward(f["dcontext"], h, lengths, weight, query, projected, attention, dh, dWeight, dBias, dQuery,
            new float[projected.Length], batch, steps);
        Close.Assert(dh, f["dh"], Close.Gradient, "dh");
        Close.Assert(dWeight, f["dweight"], Close.Gradient, "dweight");
        Close.Assert(dBias, f["dbias"], Close.Gradient, "dbias");
        Close.Assert(dQuery, f["dquery"], Close.Gradient, "dquery");
    }

    /// <summary>PyTorch's (2, B, H) final states (direction first) as (B, 2H): forward then reverse per sequence.</summary>
    private static float[] DirectionsSideBySide(float[] states, int batch, int hidden)
    {
        var result = new float[states.Length];
        for (var d = 0; d < 2; d++)
            for (var b = 0; b < batch; b++)
                states.AsSpan((d * batch + b) * hidden, hidden).CopyTo(result.AsSpan((b * 2 + d) * hidden, hidden));
        return result;
    }
}
