using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Recurrent;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Tests.Recurrent;

/// <summary>
/// The recurrent classifier end to end: every parameter's gradient (embeddings, recurrent layers, attention, head)
/// against central finite differences of its logits, padding left alone, weights and configuration round trips.
/// </summary>
[TestClass]
public sealed class RecurrentClassifierTests
{
    private static readonly int[][] Rows = [[1, 5, 7, 9, 4, 2], [1, 8, 3], [1, 6, 6, 2]];

    private static RecurrentClassifier Create(RecurrentCell cell, bool attention)
    {
        var model = new RecurrentClassifier(new RecurrentClassifierConfig
        {
            Cell = cell, Attention = attention, VocabSize = 10, EmbeddingSize = 3, HiddenSize = 4, AttentionSize = 3,
            Layers = 2, Bidirectional = true, Labels = ["a", "b", "c"],
        });
        model.Initialize(5);
        return model;
    }

    private static EncoderBatch Batch() => EncoderBatch.Pad(Rows, [.. Rows.Select(r => new int[r.Length])], padTokenId: 0);

    [TestMethod]
    [DataRow(RecurrentCell.Lstm, false)]
    [DataRow(RecurrentCell.Gru, false)]
    [DataRow(RecurrentCell.Lstm, true)]
    public void EveryGradientMatchesFiniteDifferences(RecurrentCell cell, bool attention)
    {
        var model = Create(cell, attention);
        var batch = Batch();
        var r = new float[Rows.Length * 3];
        new Rng(6).FillNormal(r, 0f, 1f);
        double Loss() => GradientCheck.WeightedSum(model.Forward(batch, training: true).Span, r);
        Loss();
        model.Backward(Tensor.Wrap((float[])r.Clone(), 0, Rows.Length, 3));
        foreach (var p in model.Parameters)
        {
            var error = GradientCheck.RelativeError(p.Value.Span, p.Gradient.Span.ToArray(), Loss);
            Assert.IsLessThanOrEqualTo(3e-3, error, p.Name);
        }
        var padRow = model.Parameters[0].Gradient.Span[..model.Config.EmbeddingSize];
        Assert.IsTrue(padRow.ToArray().All(g => g == 0f), "padding positions pass no gradient to the padding row");
    }

    [TestMethod]
    public void InferenceSessionsGiveTheTrainingForwardsLogits()
    {
        var model = Create(RecurrentCell.Lstm, attention: true);
        var batch = Batch();
        var training = model.Forward(batch, training: true).Span.ToArray();
        var session = model.CreateInferenceSession();
        CollectionAssert.AreEqual(training, session.Forward(batch).Span.ToArray());
        var single = session.CreateSibling().Forward(EncoderBatch.Pad([Rows[1]], [new int[Rows[1].Length]], 0)).Span.ToArray();
        CollectionAssert.AreEqual(training[3..6], single, "padding changes nothing");
        var weights = model.ComputeAttentionWeights(batch); // (B, T)
        for (var b = 0; b < Rows.Length; b++)
        {
            var row = weights.AsSpan(b * 6, 6);
            Assert.AreEqual(1.0, row[..Rows[b].Length].ToArray().Sum(), 1e-5);
            Assert.IsTrue(row[Rows[b].Length..].ToArray().All(w => w == 0f), "no weight on padding");
        }
    }

    [TestMethod]
    public void WeightsAndConfigurationRoundTrip()
    {
        var model = Create(RecurrentCell.Gru, attention: true);
        var config = RecurrentClassifierConfig.FromJson(model.Config.ToJson(), "config.json");
        var copy = new RecurrentClassifier(config);
        using var stream = new MemoryStream();
        model.SaveWeights(stream);
        stream.Position = 0;
        using (var source = SafetensorsReader.Load(stream, "model.safetensors")) copy.LoadWeights(source);
        Assert.AreEqual(RecurrentCell.Gru, config.Cell);
        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, config.Labels.ToArray());
        CollectionAssert.AreEqual(model.Forward(Batch(), training: false).Span.ToArray(), copy.Forward(Batch(), training: false).Span.ToArray());
        CollectionAssert.Contains(model.Parameters.Select(p => p.Name).ToArray(), "rnn.weight_hh_l1_reverse");
    }

    [TestMethod]
    [DataRow("\"model_type\": \"gru\"", "\"model_type\": \"rnn\"", "model_type")]
    [DataRow("\"hidden_size\": 4", "\"hidden_size\": 0", "hidden_size")]
    [DataRow("\"pad_token_id\": 0", "\"pad_token_id\": 10", "pad_token_id")]
    public void ABadConfigurationNamesTheField(string field, string replacement, string name)
    {
        var json = Create(RecurrentCell.Gru, attention: false).Config.ToJson();
        Assert.Contains(field, json);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => RecurrentClassifierConfig.FromJson(json.Replace(field, replacement), "config.json"));
        StringAssert.Contains(error.Message, "config.json");
        StringAssert.Contains(error.Message, name);
    }
}
