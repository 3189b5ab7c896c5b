using System.IO.Compression;
using Microsoft.ML;
using MLNet.Transformers.Trainers.Classification;

namespace MLNet.Transformers.Trainers.Tests.Classification;

/// <summary><c>mlContext.Model.Save</c> and <c>Load</c> of a pipeline ending in the classifier, prediction engines, and damaged zips.</summary>
[TestClass]
public sealed class SaveAndLoadTests : ClassifierTestBase
{
    private sealed class Input
    {
        public string Text { get; set; } = "";
        public string Topic { get; set; } = "";
    }

    private sealed class Output
    {
        public float[] Score { get; set; } = [];
        public string PredictedLabel { get; set; } = "";
    }

    private string SavedPipeline(out ITransformer model)
    {
        var data = Context.View(SyntheticText.Rows(96, seed: 1));
        model = TutorialPipeline().Fit(data);
        var path = Path.Combine(Directory, "model.zip");
        Context.Model.Save(model, data.Schema, path);
        return path;
    }

    private static string[] Sentences(int count) => [.. SyntheticText.Rows(count, seed: 5).Select(r => r.Text)];

    [TestMethod]
    public void ALoadedPipelinePredictsTheSameBits()
    {
        var path = SavedPipeline(out var model);
        var loaded = new MLContext().Model.Load(path, out var schema);
        Assert.AreEqual(Context.View([]).Schema.Count, schema.Count);
        var before = Context.Model.CreatePredictionEngine<Input, Output>(model);
        var after = Context.Model.CreatePredictionEngine<Input, Output>(loaded);
        foreach (var sentence in Sentences(30))
        {
            var (expected, actual) = (before.Predict(new Input { Text = sentence }), after.Predict(new Input { Text = sentence }));
            CollectionAssert.AreEqual(expected.Score, actual.Score, sentence);
            Assert.AreEqual(expected.PredictedLabel, actual.PredictedLabel, sentence);
        }
        var (original, restored) = (Classifier(model), Classifier(loaded));
        CollectionAssert.AreEqual(SyntheticText.Topics, restored.LabelNames.ToArray());
        Assert.IsTrue(SameWeights(original, restored));
        Assert.AreEqual(original.TrainingHistory!.ToJson(), restored.TrainingHistory!.ToJson());
        Assert.AreEqual(original.Sentence1ColumnName, restored.Sentence1ColumnName);
        Assert.AreEqual(original.MaxTokens, restored.MaxTokens);
    }

    /// <summary>Threads predicting at once, each with its own engine over the one loaded model.</summary>
    private const int Threads = 16;

    [TestMethod]
    public void AnEnginePerThreadUnder16ThreadsAgreesWithOneThread()
    {
        var path = SavedPipeline(out _);
        var loaded = Context.Model.Load(path, out _);
        var sentences = Sentences(64);
        var single = Context.Model.CreatePredictionEngine<Input, Output>(loaded);
        var expected = sentences.Select(s => single.Predict(new Input { Text = s }).Score).ToArray();
        // Each thread has its own engine; the barrier holds every thread until all have started, so they predict side by side.
        var engines = Enumerable.Range(0, Threads).Select(_ => Context.Model.CreatePredictionEngine<Input, Output>(loaded)).ToArray();
        using var allStarted = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            var engine = engines[t];
            allStarted.SignalAndWait();
            for (var i = 0; i < sentences.Length; i++)
            {
                var k = (i + t) % sentences.Length; // each thread starts at another sentence
                var score = engine.Predict(new Input { Text = sentences[k] }).Score;
                CollectionAssert.AreEqual(expected[k], score, $"sentence {k} on thread {t} of {Threads}");
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(workers);
    }

    [TestMethod]
    [DataRow("settings.json", "invalid JSON")]
    [DataRow("config.json", "config.json")]
    [DataRow("model.safetensors", "model.safetensors")]
    [DataRow("tokenizer-vocab.txt", "the entry is missing")]
    [DataRow("history.json", "no training history")]
    public void ADamagedEntryIsNamed(string entry, string expected)
    {
        var path = SavedPipeline(out _);
        string fullName;
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var damaged = zip.Entries.Single(e => e.Name == entry);
            fullName = damaged.FullName;
            var bytes = ReadAll(damaged);
            damaged.Delete();
            if (entry != "tokenizer-vocab.txt")
            {
                using var stream = zip.CreateEntry(fullName).Open();
                stream.Write(entry.EndsWith(".safetensors", StringComparison.Ordinal) ? bytes.AsSpan(0, bytes.Length / 2) : "{ not json"u8);
            }
        }
        var error = Assert.Throws<Exception>(() => new MLContext().Model.Load(path, out _));
        var cause = Causes(error).OfType<InvalidDataException>().FirstOrDefault()
            ?? throw new AssertFailedException($"no InvalidDataException in: {error}");
        StringAssert.Contains(cause.Message, fullName);
        StringAssert.Contains(cause.Message, expected);
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static IEnumerable<Exception> Causes(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException) yield return e;
    }
}
