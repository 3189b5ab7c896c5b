using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Models.Tests.Execution;

/// <summary>The inference batching policy: its plan, and that running a batch in its pieces gives the whole batch's result.</summary>
[TestClass]
public sealed class InferenceBatchingTests
{
    [TestMethod]
    public void PlanTakesEverySequenceOnceLongestFirstWithinBothLimits()
    {
        var random = new Random(5);
        var lengths = Enumerable.Range(0, 300).Select(_ => random.Next(1, 300)).ToArray();
        var batching = new InferenceBatching { BatchSize = 8, MaxBatchTokens = 512 };

        var plan = batching.Plan(lengths);

        var order = plan.SelectMany(batch => batch).ToArray();
        CollectionAssert.AreEquivalent(Enumerable.Range(0, lengths.Length).ToArray(), order, "every sequence exactly once");
        for (var i = 1; i < order.Length; i++)
        {
            var (before, after) = (order[i - 1], order[i]);
            Assert.IsTrue(lengths[before] > lengths[after] || (lengths[before] == lengths[after] && before < after),
                $"position {i}: longest first, ties in input order");
        }
        for (var b = 0; b < plan.Count; b++)
        {
            var (rows, padded) = (plan[b].Length, lengths[plan[b][0]]);
            Assert.IsLessThanOrEqualTo(batching.BatchSize, rows, $"batch {b}: at most BatchSize sequences");
            Assert.IsTrue(rows == 1 || rows * padded <= batching.MaxBatchTokens, $"batch {b}: {rows} × {padded} tokens");
            if (b < plan.Count - 1)
                Assert.IsTrue(rows == batching.BatchSize || (rows + 1) * padded > batching.MaxBatchTokens, $"batch {b} is cut only where a limit binds");
        }
    }

    [TestMethod]
    public void ALongerSequenceThanTheTokenBudgetIsABatchOfItsOwn()
    {
        var plan = new InferenceBatching { BatchSize = 4, MaxBatchTokens = 100 }.Plan([300, 40, 40, 40]);

        Assert.HasCount(3, plan);
        CollectionAssert.AreEqual(new[] { 0 }, plan[0]);
        CollectionAssert.AreEqual(new[] { 1, 2 }, plan[1], "two of 40 tokens fit 100, three do not");
        CollectionAssert.AreEqual(new[] { 3 }, plan[2]);
    }

    [TestMethod]
    public void LimitsBelowOneAreRefusedByName()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new InferenceBatching { MaxBatchTokens = 0 }.Plan([3]));
        Assert.AreEqual(nameof(InferenceBatching.MaxBatchTokens), error.ParamName);
    }

    [TestMethod]
    public void RunningTheBatchesOfThePlanGivesTheWholeBatchAndPyTorchsResult()
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        var model = BertModel.FromPretrained(reference.Directory);
        var batch = reference.Batch;
        var whole = model.CreateInferenceSession().Forward(batch).Span.ToArray(); // (B, T, C)
        var rowSize = batch.SequenceLength * model.Config.HiddenSize;
        var lengths = Enumerable.Range(0, batch.BatchSize).Select(row => batch.AttentionMask.Skip(row * batch.SequenceLength).Take(batch.SequenceLength).Sum()).ToArray();
        var pieces = new float[whole.Length];

        new InferenceBatching { MaxBatchTokens = 1 }.Run(lengths, model.Backend, rows =>
        {
            Assert.HasCount(1, rows, "a budget of one token makes every sequence a batch of its own");
            var hidden = model.CreateInferenceSession().Forward(batch.Rows(rows[0], 1)).Span; // (1, T, C)
            hidden.CopyTo(pieces.AsSpan(rows[0] * rowSize, rowSize));
        });

        Assert.AreEqual(0, ReferenceCase.RelativeError(pieces, whole), 1e-6);
        reference.AssertMatches("last_hidden_state", pieces);
    }
}
