using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Transformers.Pipeline.Tests;

[TestClass]
public sealed class BatchTransformerTests
{
    private sealed class Row
    {
        public string Text { get; set; } = "";
        public float Extra { get; set; }
    }

    private sealed class Output
    {
        public float Length { get; set; }
        public int LengthBatch { get; set; }
        public float[] Features { get; set; } = [];
    }

    private static Row[] Rows(int count) => [.. Enumerable.Range(0, count).Select(i => new Row { Text = new string('x', i % 17), Extra = i })];

    [TestMethod]
    public void Cursors_map_rows_in_batches_and_keep_row_order_through_ml_net_transforms()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows(70));
        var length = new TextLengthTransformer("Length", "Text", batchSize: 32);
        var pipeline = ml.Transforms.Concatenate("Features", "Length", "Extra");
        var transformed = pipeline.Fit(length.Transform(data)).Transform(length.Transform(data));
        var outputs = ml.Data.CreateEnumerable<Output>(transformed, reuseRowObject: false).ToArray();
        Assert.HasCount(70, outputs);
        for (var i = 0; i < 70; i++)
        {
            Assert.AreEqual(i % 17, outputs[i].Length);
            CollectionAssert.AreEqual(new float[] { i % 17, i }, outputs[i].Features);
            Assert.AreEqual(i < 64 ? 32 : 6, outputs[i].LengthBatch);
        }
    }

    [TestMethod]
    public void Saved_model_loads_and_predicts_the_same()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows(5));
        var model = ml.Transforms.Concatenate("Features", "Extra").Fit(data).Append(new TextLengthTransformer("Length", "Text", 4));
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-test-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = new MLContext().Model.Load(path, out var schema);
            Assert.AreEqual("Text", schema[0].Name);
            var engine = ml.Model.CreatePredictionEngine<Row, Output>(loaded);
            Assert.AreEqual(3, engine.Predict(new Row { Text = "abc" }).Length);
            Assert.AreEqual(5, engine.Predict(new Row { Text = "abcde" }).Length);
            Assert.AreEqual(1, engine.Predict(new Row { Text = "abcde" }).LengthBatch);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void A_missing_column_is_named()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Rows(1));
        var error = Assert.ThrowsExactly<SchemaException>(() => new TextLengthTransformer("Length", "Body", 4).Transform(data));
        StringAssert.Contains(error.Message, "'Body'");
        StringAssert.Contains(error.Message, "Text, Extra");
    }

    [TestMethod]
    public void Transform_computes_nothing_until_a_cursor_moves_and_skips_outputs_no_one_reads()
    {
        var ml = new MLContext();
        var length = new TextLengthTransformer("Length", "Text", batchSize: 8);
        var transformed = length.Transform(ml.Data.LoadFromEnumerable(Rows(20)));
        Assert.AreEqual(0, length.Batches, "Transform alone");
        using (var cursor = transformed.GetRowCursor([transformed.Schema["Extra"]]))
            while (cursor.MoveNext()) { }
        Assert.AreEqual(0, length.Batches, "a cursor reading pass-through columns only");
        using (var cursor = transformed.GetRowCursor([transformed.Schema["Length"]]))
            while (cursor.MoveNext()) { }
        Assert.AreEqual(3, length.Batches, "20 rows in batches of 8");
    }

    [TestMethod]
    public void Prediction_engines_on_sixteen_threads_agree_with_one()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Rows(1));
        var model = new TextLengthTransformer("Length", "Text", batchSize: 8);
        var texts = Enumerable.Range(0, 400).Select(i => new string('y', i % 23)).ToArray();
        var single = ml.Model.CreatePredictionEngine<Row, Output>(model);
        var expected = texts.Select(t => single.Predict(new Row { Text = t }).Length).ToArray();
        var actual = new float[texts.Length];
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, worker =>
        {
            var engine = ml.Model.CreatePredictionEngine<Row, Output>(model);
            for (var i = worker; i < texts.Length; i += 16) actual[i] = engine.Predict(new Row { Text = texts[i] }).Length;
        });
        CollectionAssert.AreEqual(expected, actual);
    }
}
