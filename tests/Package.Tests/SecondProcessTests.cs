using System.Diagnostics;
using Microsoft.ML;
using MLNet.Transformers.ModelLoadProbe;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Package.Tests;

/// <summary>
/// A pipeline saved by <c>mlContext.Model.Save</c> here loads with <c>mlContext.Model.Load</c> in a process of its own
/// (ModelLoadProbe: no registration call, only the package's assemblies) and predicts the same bits as the fitted
/// pipeline in this process.
/// </summary>
[TestClass]
public sealed class SecondProcessTests
{
    private static readonly string ProbePath = Path.Combine(AppContext.BaseDirectory, "ModelLoadProbe.dll");

    private sealed class Review
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private static Review[] Sst2(string file, int count) =>
        [.. File.ReadLines(TestPaths.SharedPath("data", "sst2", file)).Skip(1).Take(count)
            .Select(line => line.Split('\t')).Select(f => new Review { Text = f[0], Label = f[1] == "1" ? "positive" : "negative" })];

    [TestMethod]
    public void A_fine_tuned_classifier_predicts_the_same_bits_in_another_process()
    {
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(Sst2("train.tsv", 64));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.TextClassification(new TextClassificationOptions
            {
                Sentence1ColumnName = nameof(Review.Text),
                Preset = "tiny",
                TokenizerPath = TestPaths.SharedPath("tokenizers", "bert-base-uncased", "vocab.txt"),
                Epochs = 1,
                MaxTokens = 32,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        AssertSameBitsInAnotherProcess(ml, pipeline.Fit(train), train.Schema, Sst2("dev.tsv", 40), "Score", "PredictedLabel");
    }

    [TestMethod]
    public void The_featurizer_on_real_all_MiniLM_L6_v2_embeds_the_same_bits_in_another_process()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Sst2("dev.tsv", 40));
        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", nameof(Review.Text), TestPaths.SharedPath("models", "all-MiniLM-L6-v2"))
            .Fit(data);
        AssertSameBitsInAnotherProcess(ml, model, data.Schema, Sst2("dev.tsv", 40), "Features");
    }

    [TestMethod]
    public void A_featurizer_given_our_tokenizer_as_a_Microsoft_one_embeds_the_same_bits_in_another_process()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Sst2("dev.tsv", 40));
        var checkpoint = TestPaths.SharedPath("models", "all-MiniLM-L6-v2");
        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", nameof(Review.Text), new TextEmbeddingOptions
        {
            ModelPath = checkpoint,
            Tokenizer = Tokenizers.Interop.HuggingFaceTokenizer.Load(Path.Combine(checkpoint, "vocab.txt")),
        }).Fit(data);
        AssertSameBitsInAnotherProcess(ml, model, data.Schema, Sst2("dev.tsv", 40), "Features");
    }

    private static void AssertSameBitsInAnotherProcess(MLContext ml, ITransformer model, DataViewSchema inputSchema, Review[] rows, params string[] columns)
    {
        var work = Directory.CreateTempSubdirectory("package-tests-").FullName;
        try
        {
            var zip = Path.Combine(work, "model.zip");
            ml.Model.Save(model, inputSchema, zip);
            var input = Path.Combine(work, "input.tsv");
            File.WriteAllLines(input, ["Text\tLabel", .. rows.Select(r => $"{r.Text}\t{r.Label}")]);

            var here = new StringWriter();
            OutputBits.Write(model.Transform(InputFile.Load(ml, input, inputSchema)), inputSchema, here);

            var output = Path.Combine(work, "output.tsv");
            var probe = Process.Start(new ProcessStartInfo("dotnet", [ProbePath, zip, input, output]) { RedirectStandardError = true })!;
            var errors = probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            Assert.AreEqual(0, probe.ExitCode, errors);
            var there = File.ReadAllText(output);
            foreach (var column in columns)
                Assert.HasCount(rows.Length, there.Split('\n').Where(line => line.Split('\t') is [_, var name, _] && name == column), column);
            Assert.AreEqual(here.ToString(), there);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
