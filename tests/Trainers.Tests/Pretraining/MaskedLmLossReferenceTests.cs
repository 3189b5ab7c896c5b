using System.Text.Json;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tokenizers.Training;
using MLNet.Transformers.Trainers.Pretraining;

namespace MLNet.Transformers.Trainers.Tests.Pretraining;

/// <summary>
/// The pretraining step's loss and gradients on a fixed masked batch against PyTorch: the models fixture
/// <c>bert-tiny-mlm</c> (tools/reference/models/make_fixtures.py: <c>BertForMaskedLM</c>, tied decoder, labels -100
/// except at the masked positions, float64 reference).
/// </summary>
[TestClass]
public sealed class MaskedLmLossReferenceTests
{
    private sealed record Inputs(int[][] input_ids, int[][] attention_mask, int[][] token_type_ids, int[][] labels);

    [TestMethod]
    [DataRow(1f)]
    [DataRow(0.25f)]
    public void LossAndGradientsEqualPyTorch(float lossScale)
    {
        var folder = TestPaths.Fixture("Models.Tests", "fixtures", "bert-tiny-mlm");
        var config = BertConfig.Load(folder);
        (config.HiddenDropoutProb, config.AttentionProbsDropoutProb) = (0, 0);
        var model = new BertForMaskedLM(config);
        model.LoadWeights(folder).EnsureComplete(allowUnexpected: true);
        var inputs = JsonSerializer.Deserialize<Inputs>(File.ReadAllText(Path.Combine(folder, "inputs.json")))!;
        var (b, t) = (inputs.input_ids.Length, inputs.input_ids[0].Length);
        var batch = new MaskedBatch(
            new EncoderBatch(b, t, [.. inputs.input_ids.SelectMany(r => r)], [.. inputs.attention_mask.SelectMany(r => r)], [.. inputs.token_type_ids.SelectMany(r => r)]),
            [.. inputs.labels.SelectMany(r => r)]);
        var tokenizer = WordPieceTrainer.Train(["a b c"], new BpeTrainerOptions { VocabularySize = 20, MinFrequency = 1 });
        var training = new MaskedLanguageModelTraining(model, tokenizer, new PackedSequences(),
            new TokenMasker(new MaskingOptions(), 4, config.VocabSize, [0, 1, 2, 3, 4]));

        model.ZeroGradients();
        var loss = training.ForwardBackward(batch, lossScale);

        using var expected = SafetensorsReader.Open(Path.Combine(folder, "expected.safetensors"));
        Assert.AreEqual(expected.ReadSingle("loss")[0], loss, 1e-5);
        foreach (var name in new[] { "bert.embeddings.word_embeddings.weight", "cls.predictions.bias", "cls.predictions.transform.dense.weight", "bert.encoder.layer.0.attention.self.query.weight" })
        {
            var reference = expected.ReadSingle("grad." + name);
            var ours = model.Parameters.Single(p => p.Name == name).Gradient.Span.ToArray();
            var scale = reference.Max(Math.Abs);
            for (var i = 0; i < reference.Length; i++)
                Assert.AreEqual(lossScale * reference[i], ours[i], 2e-4 * scale, $"{name}[{i}]");
        }
    }
}
