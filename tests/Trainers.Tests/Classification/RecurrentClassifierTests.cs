using Microsoft.ML;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Tests.Classification;

/// <summary>
/// The recurrent architectures of the text classifier (LSTM, GRU, attention-RNN): each learns the synthetic topic task
/// from scratch, and a pipeline saved with <c>mlContext.Model.Save</c> loads back predicting the same bits.
/// </summary>
[TestClass]
public sealed class RecurrentClassifierTests : ClassifierTestBase
{
    private sealed class Input
    {
        public string Text { get; set; } = "";
        public string Topic { get; set; } = "";
    }

    private sealed class Output
    {
        public float[] Score { get; set; } = [];
    }

    private TextClassificationOptions Recurrent(TextClassifierArchitecture architecture) => Options() with
    {
        Architecture = architecture,
        Recurrent = new RecurrentNetworkOptions { EmbeddingSize = 16, HiddenSize = 16, AttentionSize = 16 },
        Preset = TextClassificationOptions.DefaultPreset,
        LearningRate = 1e-2f,
        Epochs = 4,
    };

    [TestMethod]
    [DataRow(TextClassifierArchitecture.Lstm)]
    [DataRow(TextClassifierArchitecture.Gru)]
    [DataRow(TextClassifierArchitecture.AttentionRnn)]
    public void LearnsTopicsAndRoundTripsThroughAModelZip(TextClassifierArchitecture architecture)
    {
        var data = Context.View(SyntheticText.Rows(240, seed: 1));
        var pipeline = Context.Transforms.Conversion.MapValueToKey("Label", nameof(TextRow.Topic))
            .Append(Context.MulticlassClassification.Trainers.TextClassification(Recurrent(architecture)));
        var model = pipeline.Fit(data);
        var metrics = Context.MulticlassClassification.Evaluate(model.Transform(Context.View(SyntheticText.Rows(90, seed: 2))));
        Assert.IsGreaterThanOrEqualTo(0.95, metrics.MacroAccuracy, $"{architecture}: macro accuracy");
        var classifier = Classifier(model);
        Assert.AreEqual(architecture, classifier.Architecture);
        Assert.IsNotNull(classifier.RecurrentModel);
        Assert.ThrowsExactly<InvalidOperationException>(() => classifier.Model);

        var path = Path.Combine(Directory, "model.zip");
        Context.Model.Save(model, data.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        var restored = Classifier(loaded);
        Assert.AreEqual(architecture, restored.Architecture);
        foreach (var (a, b) in classifier.RecurrentModel.Parameters.Zip(restored.RecurrentModel!.Parameters))
        {
            Assert.AreEqual(a.Name, b.Name);
            Assert.IsTrue(a.Value.Span.SequenceEqual(b.Value.Span), a.Name);
        }
        var (before, after) = (Context.Model.CreatePredictionEngine<Input, Output>(model), Context.Model.CreatePredictionEngine<Input, Output>(loaded));
        foreach (var row in SyntheticText.Rows(20, seed: 5))
            CollectionAssert.AreEqual(before.Predict(new Input { Text = row.Text }).Score, after.Predict(new Input { Text = row.Text }).Score, row.Text);
    }

    [TestMethod]
    public void TheAttentionRnnShowsItsWeightsOverTime()
    {
        var model = Context.BinaryClassification.Trainers.TextClassification(Recurrent(TextClassifierArchitecture.AttentionRnn) with { Epochs = 1 })
            .Fit(Context.View(SyntheticText.Rows(96, seed: 1)));
        var text = SyntheticText.Rows(1, seed: 7)[0].Text;
        var (tokens, weights) = model.ComputeRecurrentAttention(text);
        Assert.AreEqual(SyntheticText.WordCount(text) + 2, tokens.Length, "[CLS] words [SEP]");
        Assert.AreEqual("[CLS]", tokens[0]);
        Assert.HasCount(tokens.Length, weights);
        Assert.AreEqual(1.0, weights.Sum(), 1e-5);
        Assert.IsTrue(weights.All(w => w > 0f));
        var lstm = Context.BinaryClassification.Trainers.TextClassification(Recurrent(TextClassifierArchitecture.Lstm) with { Epochs = 1 })
            .Fit(Context.View(SyntheticText.Rows(32, seed: 1)));
        Assert.ThrowsExactly<InvalidOperationException>(() => lstm.ComputeRecurrentAttention(text));
    }

    [TestMethod]
    public void GetAttentionGivesLayersAndHeadsForATransformerAndOneRowForAnAttentionRnn()
    {
        var rows = Context.View(SyntheticText.Rows(32, seed: 1));
        var text = SyntheticText.Rows(1, seed: 7)[0].Text;
        var tokens = SyntheticText.WordCount(text) + 2;
        var transformer = Context.BinaryClassification.Trainers.TextClassification(Options() with { Epochs = 1 }).Fit(rows).GetAttention(text);
        Assert.AreEqual((2, 2, tokens, tokens), (transformer.Layers, transformer.Heads, transformer.Tokens.Count, transformer.Queries.Count), "tiny: 2 layers × 2 heads");
        for (var q = 0; q < tokens; q++) Assert.AreEqual(1.0, Enumerable.Range(0, tokens).Sum(k => transformer[1, 1, q, k]), 1e-5, $"row {q}");
        var rnn = Context.BinaryClassification.Trainers.TextClassification(Recurrent(TextClassifierArchitecture.AttentionRnn) with { Epochs = 1 }).Fit(rows);
        var overTime = rnn.GetAttention(text);
        Assert.AreEqual((1, 1, tokens, 1), (overTime.Layers, overTime.Heads, overTime.Tokens.Count, overTime.Queries.Count));
        CollectionAssert.AreEqual(rnn.ComputeRecurrentAttention(text).Weights, overTime.Weights.ToArray());
        var gru = Context.BinaryClassification.Trainers.TextClassification(Recurrent(TextClassifierArchitecture.Gru) with { Epochs = 1 }).Fit(rows);
        Assert.ThrowsExactly<InvalidOperationException>(() => gru.GetAttention(text));
    }

    [TestMethod]
    public void ThreadsScoringSideBySideGiveTheSameBits()
    {
        var model = Context.BinaryClassification.Trainers.TextClassification(Recurrent(TextClassifierArchitecture.AttentionRnn) with { Epochs = 1 })
            .Fit(Context.View(SyntheticText.Rows(32, seed: 1)));
        var texts = SyntheticText.Rows(24, seed: 9).Select(r => r.Text).ToArray();
        var expected = texts.Select(t => model.PredictProbabilities(t)).ToArray();
        var actual = new float[texts.Length * 8][];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = model.PredictProbabilities(texts[i % texts.Length]));
        for (var i = 0; i < actual.Length; i++) CollectionAssert.AreEqual(expected[i % texts.Length], actual[i], texts[i % texts.Length]);
    }

    [TestMethod]
    public void RecurrentNetworksTrainFromScratchOnly()
    {
        var options = Recurrent(TextClassifierArchitecture.Gru) with { ModelPath = Directory };
        var error = Assert.ThrowsExactly<InvalidOptionException>(() => Context.BinaryClassification.Trainers.TextClassification(options));
        StringAssert.Contains(error.Message, nameof(TextClassificationOptions.ModelPath));
        Assert.ThrowsExactly<InvalidOptionException>(() => Context.BinaryClassification.Trainers.TextClassification(
            Recurrent(TextClassifierArchitecture.Lstm) with { Precision = Precision.Int8 }));
        var device = Assert.ThrowsExactly<InvalidOptionException>(() => Context.BinaryClassification.Trainers.TextClassification(
            Recurrent(TextClassifierArchitecture.AttentionRnn) with { Device = "torch:cpu" }));
        StringAssert.Contains(device.Message, "managed engine only");
        var sizes = Assert.ThrowsExactly<InvalidOptionException>(() => Context.BinaryClassification.Trainers.TextClassification(
            Recurrent(TextClassifierArchitecture.Lstm) with { Recurrent = new RecurrentNetworkOptions { HiddenSize = 0 } }));
        StringAssert.Contains(sizes.Message, "Recurrent.HiddenSize");
    }
}
