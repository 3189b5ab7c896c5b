using MLNet.Transformers.Models.Encoder;

namespace MLNet.Transformers.Models.Tests.Encoder;

/// <summary>Inference sessions against the model's own inference forward and the PyTorch reference.</summary>
[TestClass]
public sealed class BertInferenceSessionTests
{
    [TestMethod]
    public void SessionGivesTheBitsOfTheModelsForwardAndMatchesPyTorch()
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        var model = BertModel.FromPretrained(reference.Directory);
        var expected = model.Forward(reference.Batch, training: false).LastHiddenState.Span.ToArray();

        var actual = model.CreateInferenceSession().Forward(reference.Batch);

        CollectionAssert.AreEqual(expected, actual.Span.ToArray());
        reference.AssertMatches("last_hidden_state", actual.Span);
    }

    [TestMethod]
    public void SessionKeepsTheWeightsItWasCreatedWith()
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        var model = BertModel.FromPretrained(reference.Directory);
        var session = model.CreateInferenceSession();
        var before = session.Forward(reference.Batch).Span.ToArray();

        var weight = model.Parameters.Single(p => p.Name == "encoder.layer.0.intermediate.dense.weight").Value.Span;
        foreach (ref var value in weight) value *= 2f;

        CollectionAssert.AreEqual(before, session.Forward(reference.Batch).Span.ToArray(), "the session's packed weights are a snapshot");
        var changed = model.Forward(reference.Batch, training: false).LastHiddenState.Span.ToArray();
        CollectionAssert.AreNotEqual(before, changed, "the model's own forward runs on its current weights");
        CollectionAssert.AreEqual(changed, model.CreateInferenceSession().Forward(reference.Batch).Span.ToArray());
    }

    [TestMethod]
    public void SiblingSessionsRunConcurrentlyWithTheResultsOfOne()
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        var session = BertModel.FromPretrained(reference.Directory).CreateInferenceSession();
        var expected = session.Forward(reference.Batch).Span.ToArray();
        var batches = Enumerable.Range(0, reference.Batch.BatchSize).Select(row => reference.Batch.Rows(row, 1)).ToArray();
        var expectedRows = batches.Select(batch => session.Forward(batch).Span.ToArray()).ToArray();

        using var start = new Barrier(2);
        var results = Enumerable.Range(0, 2).Select(_ => session.CreateSibling()).Select(sibling => Task.Run(() =>
        {
            start.SignalAndWait();
            var same = true;
            for (var round = 0; round < 50; round++)
            {
                same &= sibling.Forward(reference.Batch).Span.SequenceEqual(expected);
                foreach (var (batch, row) in batches.Select((b, i) => (b, i))) same &= sibling.Forward(batch).Span.SequenceEqual(expectedRows[row]);
            }
            return same;
        })).ToArray();

        Assert.IsTrue(Task.WhenAll(results).Result.All(same => same));
    }
}
