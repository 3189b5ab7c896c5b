using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;

namespace MLNet.Transformers.Models.Tests.Encoder;

[TestClass]
public sealed class BertModelTests
{
    [TestMethod]
    public void TrainingDropoutIsSeededAndInferenceKeepsNothingForBackward()
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        float[] Run(ulong seed)
        {
            var model = new BertForSequenceClassification(reference.Config, seed);
            model.LoadWeights(reference.Directory).EnsureComplete();
            return model.Forward(reference.Batch, training: true).Span.ToArray();
        }
        var inference = BertForSequenceClassification.FromPretrained(reference.Directory);
        var logits = inference.Forward(reference.Batch, training: false);

        CollectionAssert.AreEqual(Run(1), Run(1));
        CollectionAssert.AreNotEqual(Run(1), Run(2));
        CollectionAssert.AreNotEqual(logits.Span.ToArray(), Run(1));
        Assert.ThrowsExactly<InvalidOperationException>(() => inference.Backward(logits));
    }

    [TestMethod]
    [DataRow("distilbert-mlm")]
    [DataRow("roberta-mlm")]
    [DataRow("bert-tiny-mlm")]
    public void InitializationFollowsBert(string fixture)
    {
        var config = BertConfig.Load(ModelFixtures.Folder(fixture));
        var model = new BertForMaskedLM(config);

        model.Initialize(seed: 3);

        foreach (var parameter in model.Parameters)
        {
            var values = parameter.Value.Span.ToArray();
            if (parameter.Name.Replace("_", "", StringComparison.Ordinal).EndsWith("layernorm.weight", StringComparison.OrdinalIgnoreCase))
                Assert.IsTrue(values.All(v => v == 1f), parameter.Name);
            else if (parameter.Value.Rank == 1)
                Assert.IsTrue(values.All(v => v == 0f), parameter.Name);
            else
            {
                var std = Math.Sqrt(values.Average(v => (double)v * v));
                Assert.AreEqual(config.InitializerRange, std, 0.2 * config.InitializerRange, parameter.Name);
            }
        }
        var word = model.Encoder.Embeddings.WordEmbeddings.Value.Span;
        Assert.IsTrue(word.Slice(config.PadTokenId * config.HiddenSize, config.HiddenSize).ToArray().All(v => v == 0f));
    }
}
