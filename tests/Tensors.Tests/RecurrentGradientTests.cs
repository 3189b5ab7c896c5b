namespace MLNet.Transformers.Tensors.Tests;

/// <summary>
/// Backpropagation through time against central finite differences (<see cref="GradientCheck"/>): stacked LSTM and
/// GRU layers in one and both directions over sequences of lengths 5, 2 and 0, with the loss Σ r ⊙ y + Σ q ⊙ final
/// states; and additive attention pooling.
/// </summary>
[TestClass]
public sealed class RecurrentGradientTests
{
    private static readonly int[] Lengths = [5, 2, 0];

    private static void AssertGradient(Span<float> input, ReadOnlySpan<float> analytic, Func<double> loss, string what) =>
        Assert.IsLessThanOrEqualTo(Close.FiniteDifference, GradientCheck.RelativeError(input, analytic, loss), what);

    [TestMethod]
    [DataRow(RecurrentCell.Lstm, false)]
    [DataRow(RecurrentCell.Lstm, true)]
    [DataRow(RecurrentCell.Gru, false)]
    [DataRow(RecurrentCell.Gru, true)]
    public void StackGradients(RecurrentCell cell, bool bidirectional)
    {
        var (batch, steps, inputs, hidden) = (3, 5, 3, 4);
        var stack = new RecurrentStack(cell, inputs, hidden, layers: 2, bidirectional);
        stack.Initialize(new Rng(21));
        var activations = stack.CreateActivations();
        var x = Tensor.Wrap(TestData.Normal(batch * steps * inputs, 22), 0, batch, steps, inputs);
        var r = TestData.Normal(batch * steps * stack.OutputSize, 23);
        var q = TestData.Normal(batch * stack.OutputSize, 24);
        var final = new float[q.Length];
        double Loss()
        {
            var y = stack.Forward(x, Lengths, activations);
            stack.FinalStates(y, Lengths, final);
            return GradientCheck.WeightedSum(y.Span, r) + GradientCheck.WeightedSum(final, q);
        }
        Loss();
        var dy = Tensor.Wrap((float[])r.Clone(), 0, batch, steps, stack.OutputSize);
        stack.FinalStatesBackward(q, Lengths, dy);
        var dx = stack.Backward(dy, activations).Span.ToArray();
        AssertGradient(x.Span, dx, Loss, "dx");
        foreach (var p in stack.Parameters) AssertGradient(p.Value.Span, p.Gradient.Span, Loss, "d" + p.Name);
    }

    [TestMethod]
    public void AdditiveAttentionGradients()
    {
        var (batch, steps, width, size) = (3, 5, 4, 3);
        var (h, weight, bias, query) = (TestData.Normal(batch * steps * width, 31), TestData.Normal(size * width, 32), TestData.Normal(size, 33), TestData.Normal(size, 34));
        var r = TestData.Normal(batch * width, 35);
        var (projected, attention, context) = (new float[batch * steps * size], new float[batch * steps], new float[batch * width]);
        double Loss()
        {
            AdditiveAttention.Forward(h, Lengths, weight, bias, query, projected, attention, context, batch, steps);
            return GradientCheck.WeightedSum(context, r);
        }
        Loss();
        var (dh, dWeight, dBias, dQuery) = (new float[h.Length], new float[weight.Length], new float[size], new float[size]);
        AdditiveAttention.Backward(r, h, Lengths, weight, query, projected, attention, dh, dWeight, dBias, dQuery, new float[projected.Length], batch, steps);
        AssertGradient(h, dh, Loss, "dh");
        AssertGradient(weight, dWeight, Loss, "dweight");
        AssertGradient(bias, dBias, Loss, "dbias");
        AssertGradient(query, dQuery, Loss, "dquery");
    }
}
