using System.Text.Json;
using MLNet.Transformers.Models.Attention;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Models.Tests.Attention;

/// <summary>
/// Attention probabilities of our models against Hugging Face's <c>output_attentions=True</c> (the PyTorch
/// references of tools/reference/models), and the identities every attention row satisfies.
/// </summary>
[TestClass]
public sealed class EncoderAttentionTests
{
    [TestMethod]
    [DataRow("bert-tiny")]
    [DataRow("roberta")]
    [DataRow("distilbert")]
    public void EncoderAttentionMatchesHuggingFaceOnPaddedBatches(string fixture)
    {
        using var reference = ReferenceCase.Open(fixture);
        var model = BertModel.FromPretrained(reference.Directory, addPoolingLayer: false);
        var layers = EncoderAttention.Compute(model, reference.Batch);

        AttentionFixture.AssertMatches(fixture, layers);
        Assert.IsTrue(reference.Batch.AttentionMask.Contains(0), "the batch has padding");
        foreach (var layer in layers) AttentionFixture.AssertProbabilities(layer, reference.Batch.AttentionMask, causal: false);
    }

    [TestMethod]
    public void Gpt2AttentionMatchesHuggingFaceAndIsCausal()
    {
        var folder = ModelFixtures.Folder("gpt2-tiny");
        var model = Gpt2LMHeadModel.FromPretrained(folder);
        using var inputs = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "inputs.json")));
        var rows = ReferenceCase.Rows(inputs.RootElement, "input_ids");
        var layers = DecoderAttention.Compute(model, [.. rows.SelectMany(r => r)], rows.Count);

        AttentionFixture.AssertMatches("gpt2-tiny", layers);
        foreach (var layer in layers) AttentionFixture.AssertProbabilities(layer, [.. rows.SelectMany(r => r.Select(_ => 1))], causal: true);
    }

    [TestMethod]
    public void RealMiniLmAttentionMatchesHuggingFaceOnASentence()
    {
        // The package's ONNX export of all-MiniLM-L6-v2, the weights the reference read from the Hugging Face checkpoint.
        using var sentence = JsonDocument.Parse(File.ReadAllText(Path.Combine(AttentionFixture.Folder, "minilm-real.json")));
        var path = MiniLmOnnxPackage.ModelPath;
        var ids = Tokenizer.Load(CheckpointFiles.TokenizerLocation(path)).Encode(sentence.RootElement.GetProperty("text").GetString()!).Ids;
        CollectionAssert.AreEqual(sentence.RootElement.GetProperty("input_ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(), ids, "token ids");

        var layers = EncoderAttention.Compute(BertModel.FromPretrained(path), new EncoderBatch(1, ids.Length, ids, [.. ids.Select(_ => 1)]));

        AttentionFixture.AssertMatches("minilm-real", layers);
    }

    [TestMethod]
    public void ComputingAttentionLeavesTheModelsOutputUnchanged()
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        var model = BertModel.FromPretrained(reference.Directory);
        var before = model.Forward(reference.Batch, training: false).LastHiddenState.Span.ToArray();
        EncoderAttention.Compute(model, reference.Batch);
        CollectionAssert.AreEqual(before, model.Forward(reference.Batch, training: false).LastHiddenState.Span.ToArray());
    }

    [TestMethod]
    public void TooLongABatchIsRejected()
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        var model = BertModel.FromPretrained(reference.Directory);
        var t = model.Config.MaxSequenceLength + 1;
        var error = Assert.ThrowsExactly<ArgumentException>(() => EncoderAttention.Compute(model, new EncoderBatch(1, t, new int[t], [.. Enumerable.Repeat(1, t)])));
        StringAssert.Contains(error.Message, $"reads at most {t - 1}");
    }
}
