using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;

namespace MLNet.Transformers.Models.Tests.Decoder;

/// <summary>Loading and saving GPT-2 checkpoints in Hugging Face layout, and their config.json.</summary>
[TestClass]
public sealed class Gpt2CheckpointTests
{
    [TestMethod]
    public void SavePretrainedWritesTheHuggingFaceLayoutAndReloadsBitExact()
    {
        var model = Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory);
        using var folder = ModelFixtures.Temporary();

        model.SavePretrained(folder.Path);
        var reloaded = Gpt2LMHeadModel.FromPretrained(folder.Path);

        using var saved = SafetensorsReader.Open(folder.File(CheckpointFiles.Safetensors));
        using var original = SafetensorsReader.Open(Path.Combine(Gpt2Reference.Directory, CheckpointFiles.Safetensors));
        CollectionAssert.AreEqual(original.Names.ToList(), saved.Names.ToList(), "the names and order Hugging Face saves");
        Assert.AreEqual("[24, 72]", saved.Describe("transformer.h.0.attn.c_attn.weight").ShapeText, "Conv1D (in, out)");
        foreach (var (a, b) in model.Parameters.Zip(reloaded.Parameters))
            CollectionAssert.AreEqual(a.Value.Span.ToArray(), b.Value.Span.ToArray(), a.Name);
    }

    [TestMethod]
    public void AGpt2ModelCheckpointWithoutPrefixAndWithBuffersAndLmHeadLoadsExactly()
    {
        var model = Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory);
        using var folder = ModelFixtures.Temporary();
        var buffer = new float[16 * 16];
        var tensors = model.Parameters
            .Select(p => new NamedTensor(p.Name["transformer.".Length..], p.Value.Shape.ToArray(), p.Value.Memory))
            .Append(new NamedTensor("h.0.attn.bias", [1, 1, 16, 16], buffer))
            .Append(new NamedTensor("h.1.attn.masked_bias", [], new float[1]))
            .Append(new NamedTensor("lm_head.weight", model.TokenEmbeddings.Value.Shape.ToArray(), model.TokenEmbeddings.Value.Memory));
        SafetensorsWriter.Write(folder.File(CheckpointFiles.Safetensors), tensors);

        var report = new Gpt2LMHeadModel(model.Config).LoadWeights(folder.Path);

        Assert.IsTrue(report.IsExact, report.ToString());
        CollectionAssert.AreEquivalent(new[] { "h.0.attn.bias", "h.1.attn.masked_bias", "lm_head.weight" }, report.Ignored.ToArray());
    }

    [TestMethod]
    public void ConfigRoundTripsKeepingFieldsItDoesNotModel()
    {
        var config = Gpt2Config.Load(Gpt2Reference.Directory);
        using var folder = ModelFixtures.Temporary();

        config.Save(folder.Path);
        var text = File.ReadAllText(folder.File(Gpt2Config.FileName));
        var reloaded = Gpt2Config.Load(folder.Path);

        StringAssert.Contains(text, "\"architectures\"");
        StringAssert.Contains(text, "\"model_type\": \"gpt2\"");
        Assert.AreEqual((64, 16, 24, 2, 3, 96, 63), (reloaded.VocabSize, reloaded.MaxPositions, reloaded.HiddenSize, reloaded.NumLayers, reloaded.NumHeads, reloaded.FeedForwardSize, reloaded.EosTokenId));
        Assert.AreEqual(1e-5, reloaded.LayerNormEpsilon);
        Assert.IsNull(reloaded.InnerSize);
    }

    [TestMethod]
    [DataRow("\"model_type\": \"bert\"", "model_type")]
    [DataRow("\"model_type\": \"gpt2\", \"n_embd\": 25, \"n_head\": 3", "n_head")]
    [DataRow("\"model_type\": \"gpt2\", \"tie_word_embeddings\": false", "tie_word_embeddings")]
    [DataRow("\"model_type\": \"gpt2\", \"activation_function\": \"swish\"", "activation_function")]
    [DataRow("\"model_type\": \"gpt2\", \"vocab_size\": 10", "bos_token_id")]
    public void AnUnsupportedConfigIsRefusedNamingTheField(string fields, string field)
    {
        using var folder = ModelFixtures.Temporary();
        File.WriteAllText(folder.File(Gpt2Config.FileName), "{" + fields + "}");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Gpt2Config.Load(folder.Path));

        StringAssert.Contains(error.Message, field);
        StringAssert.Contains(error.Message, Gpt2Config.FileName);
    }
}
