using System.Text.Json;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Tests.Decoder;

/// <summary>
/// GPT2ForSequenceClassification (last-token pooling, <c>score</c> without bias) against the PyTorch reference of
/// Hugging Face's semantics on a right-padded batch (fixture gpt2-tiny-classifier): logits, loss, every gradient.
/// </summary>
[TestClass]
public sealed class Gpt2ClassificationReferenceTests
{
    private static string Directory => ModelFixtures.Folder("gpt2-tiny-classifier");

    private static (int[] Ids, float[] Mask, int[] Labels, int Batch) Inputs()
    {
        using var inputs = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "inputs.json")));
        var ids = ReferenceCase.Rows(inputs.RootElement, "input_ids");
        var mask = ReferenceCase.Rows(inputs.RootElement, "attention_mask");
        var labels = inputs.RootElement.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        return ([.. ids.SelectMany(r => r)], [.. mask.SelectMany(r => r.Select(m => (float)m))], labels, ids.Count);
    }

    private static Gpt2ForSequenceClassification Load(bool dropout)
    {
        var config = Gpt2Config.Load(Directory);
        if (!dropout) (config.ResidualDropout, config.EmbeddingDropout, config.AttentionDropout) = (0, 0, 0);
        var model = new Gpt2ForSequenceClassification(config);
        using var weights = CheckpointFiles.Open(Directory);
        model.LoadWeights(weights).EnsureComplete(allowUnexpected: false);
        return model;
    }

    [TestMethod]
    public void TheConfigNamesTheClassesAndThePaddingToken()
    {
        var config = Gpt2Config.Load(Directory);

        CollectionAssert.AreEqual(new[] { "negative", "neutral", "positive" }, config.Labels!.ToArray());
        Assert.AreEqual(63, config.PadTokenId);
        var reread = Gpt2Config.FromJson(config.ToJson());
        CollectionAssert.AreEqual(config.Labels!.ToArray(), reread.Labels!.ToArray());
        Assert.AreEqual(config.PadTokenId, reread.PadTokenId);
    }

    [TestMethod]
    public void LogitsLossAndEveryGradientMatchPyTorch()
    {
        using var expected = SafetensorsReader.Open(Path.Combine(Directory, "expected.safetensors"));
        var model = Load(dropout: false);
        var (ids, mask, labels, b) = Inputs();

        var logits = model.Forward(ids, b, mask, training: true);
        var k = model.ClassCount;
        var probabilities = new float[b * k];
        var dLogits = new Tensor(b, k);
        var loss = CrossEntropy.Forward(logits.Span, labels, probabilities, k);
        CrossEntropy.Backward(probabilities, labels, dLogits.Span, k);
        ReferenceCase.AssertMatches(expected, "logits", logits.Span);
        model.Backward(dLogits);

        ReferenceCase.AssertMatches(expected, "loss", [loss]);
        ReferenceCase.AssertGradientsMatch(expected, model.Parameters);
        ReferenceCase.AssertMatches(expected, "logits", model.Forward(ids, b, mask, training: false).Span);
    }

    [TestMethod]
    public void ACausalLmCheckpointLacksOnlyTheHeadAndAnAllPaddingRowIsRejected()
    {
        var config = Gpt2Config.Load(Gpt2Reference.Directory);
        config.Labels = ["a", "b"];
        var model = new Gpt2ForSequenceClassification(config);
        using var weights = CheckpointFiles.Open(Gpt2Reference.Directory);

        CollectionAssert.AreEqual(new[] { "score.weight" }, model.LoadWeights(weights).Missing.ToArray());
        Assert.ThrowsExactly<ArgumentException>(() => model.Forward([1, 2, 3, 4], 2, [1, 1, 0, 0], training: false));
        config.Labels = ["only"];
        Assert.ThrowsExactly<InvalidDataException>(() => new Gpt2ForSequenceClassification(config));
    }
}
