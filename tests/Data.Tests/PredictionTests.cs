namespace MLNet.Transformers.Data.Tests;

[TestClass]
public sealed class PredictionTests
{
    private static readonly TransformersContext Context = new(seed: 1);

    public sealed class Prediction
    {
        public uint LabelKey { get; set; }
        public float Sum { get; set; }
        public string LabelBack { get; set; } = "";
    }

    private static ITransformer Model()
    {
        var data = Context.Data.LoadFromEnumerable(BatchMapperTests.Rows(30));
        return Context.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
            .Append(Context.Transforms.Conversion.MapKeyToValue("LabelBack", "LabelKey"))
            .Fit(data)
            .Append(new WeightedSumTransformer([1, 2, 3], batchSize: 16));
    }

    [TestMethod]
    public void AnEnginePredictsOneObjectAtATime()
    {
        var engine = Context.Model.CreatePredictionEngine<FeatureRow, Prediction>(Model());

        var first = engine.Predict(new FeatureRow { Category = "c1", Features = [1, 1, 1] });
        var second = engine.Predict(new FeatureRow { Category = "unseen", Features = [0, 0, 2] });

        Assert.AreEqual(2u, first.LabelKey);
        Assert.AreEqual("c1", first.LabelBack);
        Assert.AreEqual(6f, first.Sum);
        Assert.AreEqual(0u, second.LabelKey);
        Assert.AreEqual("", second.LabelBack);
        Assert.AreEqual(6f, second.Sum);
    }

    [TestMethod]
    public void AnEngineChecksTheInputSchemaWhenMade()
    {
        var error = Assert.ThrowsExactly<SchemaException>(() => Context.Model.CreatePredictionEngine<LabeledText, Prediction>(Model()));

        StringAssert.Contains(error.Message, "'Features'");
    }

    [TestMethod]
    public void APoolUnderSixteenThreadsGivesTheSameAnswersAsOneThread()
    {
        var model = Model();
        var inputs = Enumerable.Range(0, 2000).Select(i => new FeatureRow { Category = $"c{i % 4}", Features = [i, -i, i % 13] }).ToArray();
        var single = Context.Model.CreatePredictionEngine<FeatureRow, Prediction>(model);
        var expected = inputs.Select(single.Predict).ToArray();
        var pool = Context.Model.CreatePredictionEnginePool<FeatureRow, Prediction>(model);
        var actual = new Prediction[inputs.Length];

        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i => actual[i] = pool.Predict(inputs[i]));

        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.AreEqual(expected[i].LabelKey, actual[i].LabelKey, $"row {i}");
            Assert.AreEqual(expected[i].Sum, actual[i].Sum, $"row {i}");
            Assert.AreEqual(expected[i].LabelBack, actual[i].LabelBack, $"row {i}");
        }
    }

    [TestMethod]
    public void SixteenThreadsStartingTogetherEachGetTheirOwnEngine()
    {
        var pool = Context.Model.CreatePredictionEnginePool<FeatureRow, Prediction>(Model());
        using var barrier = new Barrier(16);
        var engines = new PredictionEngine<FeatureRow, Prediction>[16];
        var threads = Enumerable.Range(0, 16).Select(t => new Thread(() =>
        {
            engines[t] = pool.GetPredictionEngine();
            barrier.SignalAndWait();
            pool.ReturnPredictionEngine(engines[t]);
        })).ToArray();

        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();

        Assert.AreEqual(16, engines.Distinct().Count());
    }
}
