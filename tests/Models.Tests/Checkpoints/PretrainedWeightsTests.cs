using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Checkpoints.Torch;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;

namespace MLNet.Transformers.Models.Tests.Checkpoints;

[TestClass]
public sealed class PretrainedWeightsTests
{
    [TestMethod]
    [DataRow(TensorDType.F16)]
    [DataRow(TensorDType.BF16)]
    public void HalfPrecisionCheckpointLoadsTheRoundedWeights(TensorDType dtype)
    {
        using var reference = ReferenceCase.Open("roberta");
        var model = BertForSequenceClassification.FromPretrained(reference.Directory);
        using var directory = ModelFixtures.Temporary();
        model.SavePretrained(directory.Path, dtype);

        var reloaded = BertForSequenceClassification.FromPretrained(directory.Path);

        using var written = SafetensorsReader.Open(directory.File(PretrainedWeights.WeightsFile));
        Assert.IsTrue(written.Names.All(n => written.Describe(n).DType == dtype));
        var relativeStep = dtype == TensorDType.F16 ? 1.0 / 1024 : 1.0 / 128; // half a unit in the last place, doubled
        for (var i = 0; i < model.Parameters.Count; i++)
        {
            var error = ReferenceCase.RelativeError(reloaded.Parameters[i].Value.Span, model.Parameters[i].Value.Span);
            Assert.IsTrue(error <= relativeStep, $"{model.Parameters[i].Name}: {error:E2}");
        }
    }

    [TestMethod]
    public void WeightsSavedToAStreamLoadBackFromIt()
    {
        using var reference = ReferenceCase.Open("distilbert");
        var model = BertForSequenceClassification.FromPretrained(reference.Directory);
        using var stream = new MemoryStream();
        model.SaveWeights(stream);
        stream.Position = 0;

        var copy = new BertForSequenceClassification(reference.Config);
        using (var source = SafetensorsReader.Load(stream, "weights entry"))
            copy.LoadWeights(source).EnsureComplete();

        CollectionAssert.AreEqual(model.Forward(reference.Batch, false).Span.ToArray(), copy.Forward(reference.Batch, false).Span.ToArray());
    }

    [TestMethod]
    public void ShardedPyTorchCheckpointLoadsThroughItsIndex()
    {
        using var reference = ReferenceCase.Open("roberta");
        using var directory = ModelFixtures.Temporary();
        File.Copy(ModelFixtures.File("checkpoints", CheckpointFiles.PyTorch), directory.File("pytorch_model-00001-of-00001.bin"));
        using (var torch = TorchCheckpointReader.Open(directory.File("pytorch_model-00001-of-00001.bin")))
        {
            var weightMap = string.Join(",", torch.Names.Select(n => $"\"{n}\": \"pytorch_model-00001-of-00001.bin\""));
            File.WriteAllText(directory.File(CheckpointFiles.PyTorchIndex), $"{{\"metadata\": {{}}, \"weight_map\": {{{weightMap}}}}}");
        }
        File.Copy(Path.Combine(reference.Directory, "config.json"), directory.File("config.json"));

        var model = BertForSequenceClassification.FromPretrained(directory.Path);

        reference.AssertMatches("logits", model.Forward(reference.Batch, training: false).Span);
    }

    [TestMethod]
    public void ClassifierFromABareEncoderCheckpointInitialisesOnlyItsHead()
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        using var directory = ModelFixtures.Temporary();
        BertModel.FromPretrained(reference.Directory).SavePretrained(directory.Path);

        var model = BertForSequenceClassification.FromPretrained(directory.Path, seed: 5, labels: ["spam", "ham", "eggs", "bacon"]);

        var report = model.LoadWeights(directory.Path);
        CollectionAssert.AreEquivalent(new[] { "classifier.weight", "classifier.bias" }, report.Missing.ToArray());
        Assert.AreEqual(0, report.Unexpected.Count);
        Assert.IsTrue(model.Head.Parameters.First().Value.Span.ToArray().Any(v => v != 0), "the head is initialised");
        Assert.AreEqual(4, model.Forward(reference.Batch, training: false).Size(1));
        reference.AssertMatches("pooler_output", model.Encoder.Forward(reference.Batch, false).PoolerOutput!.Span);
    }

    [TestMethod]
    public void PyTorchBinWithTiedStoragesLoadsIntoTheMaskedLanguageModel()
    {
        using var reference = ReferenceCase.Open("bert-tiny-mlm");
        var directory = ModelFixtures.Folder(Path.Combine("checkpoints", "mlm-tied-bin"));
        using (var torch = TorchCheckpointReader.Open(Path.Combine(directory, CheckpointFiles.PyTorch)))
        {
            var decoder = new float[300 * 64];
            torch.Read("cls.predictions.decoder.weight", decoder);
            var word = new float[300 * 64];
            torch.Read("bert.embeddings.word_embeddings.weight", word);
            CollectionAssert.AreEqual(word, decoder);
        }

        var model = new BertForMaskedLM(reference.Config);
        var report = model.LoadWeights(directory);

        Assert.IsTrue(report.IsExact, report.ToString());
        CollectionAssert.AreEquivalent(new[] { "cls.predictions.decoder.weight", "cls.predictions.decoder.bias" }, report.Ignored.ToArray());
        reference.AssertMatches("logits", model.Forward(reference.Batch, training: false).Span);
    }

    [TestMethod]
    public void TiedDecoderCopiesInACheckpointAreIgnored()
    {
        using var reference = ReferenceCase.Open("bert-tiny-mlm");
        using var directory = ModelFixtures.Temporary();
        using (var source = SafetensorsReader.Open(Path.Combine(reference.Directory, CheckpointFiles.Safetensors)))
        {
            var tensors = source.Names.Select(n => new NamedTensor(n, [.. source.Describe(n).Shape.Select(d => (int)d)], source.ReadSingle(n))).ToList();
            var word = tensors.Single(t => t.Name == "bert.embeddings.word_embeddings.weight");
            tensors.Add(word with { Name = "cls.predictions.decoder.weight" });
            tensors.Add(new NamedTensor("bert.embeddings.position_ids", [1, 3], new float[] { 0, 1, 2 }));
            SafetensorsWriter.Write(directory.File(CheckpointFiles.Safetensors), tensors);
        }

        var report = new BertForMaskedLM(reference.Config).LoadWeights(directory.Path);

        Assert.IsTrue(report.IsExact, report.ToString());
        CollectionAssert.AreEquivalent(new[] { "cls.predictions.decoder.weight", "bert.embeddings.position_ids" }, report.Ignored.ToArray());
    }
}
