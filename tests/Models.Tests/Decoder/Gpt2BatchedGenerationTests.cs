using System.Text.Json;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Generation;

namespace MLNet.Transformers.Models.Tests.Decoder;

/// <summary>
/// Prompts of different lengths generated together: the left-padded, masked batch against the PyTorch reference of
/// Hugging Face's semantics (batched.json), and each prompt's tokens in the batch against its tokens alone.
/// </summary>
[TestClass]
public sealed class Gpt2BatchedGenerationTests
{
    private const double LogitTolerance = 1e-4;

    private static readonly JsonElement s_batched =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Gpt2Reference.Directory, "batched.json"))).RootElement.Clone();

    private static int[][] Rows(string name) =>
        [.. s_batched.GetProperty(name).EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray())];

    private static int[][] Prompts => [.. Rows("input_ids").Zip(Rows("attention_mask"), (ids, mask) => ids.Where((_, i) => mask[i] == 1).ToArray())];

    /// <summary>The reference logits (B, T, V) flattened, each with whether its token is real (mask 1).</summary>
    private static (float[] Logits, bool[] Real) ExpectedLogits()
    {
        var logits = s_batched.GetProperty("logits").EnumerateArray()
            .SelectMany(row => row.EnumerateArray()).SelectMany(token => token.EnumerateArray().Select(x => (float)x.GetDouble())).ToArray();
        return (logits, [.. Rows("attention_mask").SelectMany(row => row.Select(m => m == 1))]);
    }

    [TestMethod]
    public void TheLogitsOfALeftPaddedBatchAreThePyTorchReferencesAtEveryRealToken()
    {
        var model = Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory);
        var (ids, mask) = (Rows("input_ids"), Rows("attention_mask"));
        var (b, t, v) = (ids.Length, ids[0].Length, model.Config.VocabSize);
        var (expected, real) = ExpectedLogits();

        var logits = model.Forward([.. ids.SelectMany(r => r)], b, training: false, [.. mask.SelectMany(r => r.Select(m => (float)m))]).Span.ToArray();

        var at = Enumerable.Range(0, b * t).Where(i => real[i]).ToArray();
        var error = ReferenceCase.RelativeError([.. at.SelectMany(i => logits.Skip(i * v).Take(v))], [.. at.SelectMany(i => expected.Skip(i * v).Take(v))]);
        Assert.IsTrue(error <= LogitTolerance, $"relative error {error:E2}");
    }

    [TestMethod]
    public void TheCachedLogitsOfALeftPaddedBatchAreThePyTorchReferencesAfterEachPrompt()
    {
        var model = Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory);
        var (ids, mask) = (Rows("input_ids"), Rows("attention_mask"));
        var (b, t, v) = (ids.Length, ids[0].Length, model.Config.VocabSize);
        var (expected, _) = ExpectedLogits();

        var logits = model.NextTokenLogits([.. ids.SelectMany(r => r)], model.CreateCache(b), [.. mask.SelectMany(r => r.Select(m => (float)m))]).Span.ToArray();

        var last = Enumerable.Range(0, b).SelectMany(s => expected.Skip((s * t + t - 1) * v).Take(v)).ToArray();
        var error = ReferenceCase.RelativeError(logits, last);
        Assert.IsTrue(error <= LogitTolerance, $"relative error {error:E2}");
    }

    [TestMethod]
    public void EachPromptOfABatchGetsTheGreedyTokensItGetsAloneInPyTorch()
    {
        var generator = new Gpt2Generator(Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory));
        var expected = Rows("greedy");
        var steps = expected[0].Length;

        foreach (var cache in new[] { true, false })
        {
            var options = new GenerationOptions { MaxNewTokens = steps, UseKeyValueCache = cache };
            var batch = generator.GenerateBatch(Prompts, options).ToArray(); // (steps, B)

            Assert.AreEqual(steps, batch.Length);
            for (var s = 0; s < expected.Length; s++)
            {
                CollectionAssert.AreEqual(expected[s], batch.Select(step => step[s]).ToArray(), $"prompt {s}, cache {cache}: in the batch");
                CollectionAssert.AreEqual(expected[s], generator.Generate(Prompts[s], options).ToArray(), $"prompt {s}, cache {cache}: alone");
            }
        }
    }

    [TestMethod]
    public void EachPromptOfABatchSamplesTheTokensItSamplesAlone()
    {
        var generator = new Gpt2Generator(Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory));
        var options = new GenerationOptions { MaxNewTokens = 8, Sample = true, Temperature = 1.5f, TopK = 20, RepetitionPenalty = 1.2f, Seed = 11 };

        var batch = generator.GenerateBatch(Prompts, options).ToArray(); // (steps, B)

        for (var s = 0; s < Prompts.Length; s++)
            CollectionAssert.AreEqual(generator.Generate(Prompts[s], options).ToArray(), batch.Select(step => step[s]).ToArray(), $"prompt {s}");
    }

    [TestMethod]
    public void ASequenceThatEndsIsContinuedWithTheEndOfTextTokenUntilAllEnd()
    {
        using var reference = new Gpt2Reference();
        var config = reference.Config;
        var greedy = Rows("greedy");
        config.EosTokenId = greedy[1][2]; // the third token of the second prompt ends it
        var model = new Gpt2LMHeadModel(config);
        model.LoadWeights(Gpt2Reference.Directory).EnsureComplete();
        var generator = new Gpt2Generator(model);

        var batch = generator.GenerateBatch(Prompts, new GenerationOptions { MaxNewTokens = 8 }).ToArray();

        for (var s = 0; s < Prompts.Length; s++)
        {
            var alone = generator.Generate(Prompts[s], new GenerationOptions { MaxNewTokens = 8 }).ToArray();
            var inBatch = batch.Select(step => step[s]).ToArray();
            CollectionAssert.AreEqual(alone, inBatch.Take(alone.Length).ToArray(), $"prompt {s}");
            Assert.IsTrue(inBatch.Skip(alone.Length).All(id => id == config.EosTokenId), $"prompt {s} continues with end-of-text");
        }
        Assert.ThrowsExactly<ArgumentException>(() => generator.GenerateBatch([]));
        Assert.ThrowsExactly<ArgumentException>(() => generator.GenerateBatch([[1], []]));
    }
}
