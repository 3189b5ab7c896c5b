using System.Text.Json;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Generation;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Tests.Decoder;

/// <summary>
/// Generation: the key/value cache against full forward passes, greedy tokens against the PyTorch reference, the
/// logits processors against Hugging Face's (as the reference implements them), sampling reproducibility.
/// </summary>
[TestClass]
public sealed class Gpt2GenerationTests
{
    private const double LogitTolerance = 1e-5;

    [TestMethod]
    public void CachedNextTokenLogitsEqualTheFullForwardAtEveryPositionForABatch()
    {
        using var reference = new Gpt2Reference();
        var model = Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory);
        var (b, v, ids) = (reference.BatchSize, reference.Config.VocabSize, reference.InputIds);
        var t = ids.Length / b;
        var full = model.Forward(ids, b, training: false).Span.ToArray(); // (B·T, V)
        var cache = model.CreateCache(b);
        const int promptLength = 4;

        for (var end = promptLength; end <= t; end++)
        {
            var start = end == promptLength ? 0 : end - 1;
            var fresh = Enumerable.Range(0, b).SelectMany(s => ids.Skip(s * t + start).Take(end - start)).ToArray();
            var logits = model.NextTokenLogits(fresh, cache).Span.ToArray(); // (B, V)
            var expected = Enumerable.Range(0, b).SelectMany(s => full.Skip((s * t + end - 1) * v).Take(v)).ToArray();
            var error = ReferenceCase.RelativeError(logits, expected);
            Assert.IsTrue(error <= LogitTolerance, $"after {end} tokens: relative error {error:E2}");
            Assert.AreEqual(end, cache.Length);
        }
    }

    [TestMethod]
    public void ACacheMultipliesByTheWeightMatricesItWasMadeWith()
    {
        using var reference = new Gpt2Reference();
        var model = Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory);
        var prompt = reference.Ints("prompt");
        var before = model.NextTokenLogits(prompt, model.CreateCache()).Span.ToArray();
        var cache = model.CreateCache();

        model.Parameters.Single(p => p.Name == "transformer.h.1.mlp.c_fc.weight").Value.Fill(0f);
        var snapshot = model.NextTokenLogits(prompt, cache).Span.ToArray();
        var fresh = model.NextTokenLogits(prompt, model.CreateCache()).Span.ToArray();

        CollectionAssert.AreEqual(before, snapshot);
        CollectionAssert.AreNotEqual(before, fresh);
    }

    [TestMethod]
    public void ASiblingCacheSharesTheSnapshotAndStartsEmpty()
    {
        using var reference = new Gpt2Reference();
        var model = Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory);
        var prompt = reference.Ints("prompt");
        var cache = model.CreateCache();
        var expected = model.NextTokenLogits(prompt, cache).Span.ToArray();

        model.Parameters.Single(p => p.Name == "transformer.h.1.mlp.c_fc.weight").Value.Fill(0f);
        var sibling = cache.CreateSibling(2);
        var both = model.NextTokenLogits([.. prompt, .. prompt], sibling).Span.ToArray(); // (2, V)

        Assert.AreEqual(prompt.Length, sibling.Length, "a sibling starts empty: it holds only the tokens fed to it");
        var v = model.Config.VocabSize;
        CollectionAssert.AreEqual(expected, both[..v], "the first cache's weights, not the changed ones");
        CollectionAssert.AreEqual(expected, both[v..]);
    }

    [TestMethod]
    public void AGeneratorGivesTheSameTokensEveryTime()
    {
        using var reference = new Gpt2Reference();
        var generator = new Gpt2Generator(Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory));
        var prompt = reference.Ints("prompt");
        var options = new GenerationOptions { MaxNewTokens = 6 };

        var first = generator.Generate(prompt, options).ToArray();
        var batch = generator.GenerateBatch([prompt, prompt], options).ToArray();

        CollectionAssert.AreEqual(first, generator.Generate(prompt, options).ToArray());
        CollectionAssert.AreEqual(first, batch.Select(step => step[0]).ToArray(), "a later generation of another batch size");
        CollectionAssert.AreEqual(first, batch.Select(step => step[1]).ToArray());
    }

    [TestMethod]
    public void GreedyTokensWithAndWithoutTheCacheAreThePyTorchReferences()
    {
        using var reference = new Gpt2Reference();
        var generator = new Gpt2Generator(Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory));
        var (prompt, expected) = (reference.Ints("prompt"), reference.Ints("greedy"));

        var cached = generator.Generate(prompt, new GenerationOptions { MaxNewTokens = expected.Length }).ToArray();
        var uncached = generator.Generate(prompt, new GenerationOptions { MaxNewTokens = expected.Length, UseKeyValueCache = false }).ToArray();

        CollectionAssert.AreEqual(expected, cached);
        CollectionAssert.AreEqual(expected, uncached);
    }

    [TestMethod]
    public void ProcessedProbabilitiesMatchHuggingFacesProcessors()
    {
        using var reference = new Gpt2Reference();
        var prompt = reference.Ints("prompt");
        var logits = reference.Generation.GetProperty("logits").EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();
        foreach (var setting in reference.Generation.GetProperty("processed").EnumerateArray())
        {
            var options = new GenerationOptions
            {
                Sample = true,
                RepetitionPenalty = Number(setting, "repetition_penalty", 1),
                Temperature = Number(setting, "temperature", 1),
                TopK = (int)Number(setting, "top_k", 0),
                TopP = Number(setting, "top_p", 1),
            };
            var processed = logits.ToArray();

            LogitsProcessing.Process(processed, prompt, options);
            var probabilities = new float[processed.Length];
            Softmax.Forward(processed, probabilities, rows: 1);

            var expected = setting.GetProperty("probabilities").EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();
            var error = ReferenceCase.RelativeError(probabilities, expected);
            Assert.IsTrue(error <= LogitTolerance, $"{setting}: relative error {error:E2}");
            CollectionAssert.AreEqual(expected.Select(p => p == 0).ToArray(), probabilities.Select(p => p == 0).ToArray(), $"{setting}: the tokens removed");
        }
    }

    [TestMethod]
    public void SamplingIsReproducibleFromTheSeedAndTopKOfOneIsGreedy()
    {
        using var reference = new Gpt2Reference();
        var generator = new Gpt2Generator(Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory));
        var prompt = reference.Ints("prompt");
        int[] Sample(ulong seed, bool cache = true) => [.. generator.Generate(prompt, new GenerationOptions
        {
            MaxNewTokens = 10, Sample = true, Temperature = 1.5f, TopP = 0.95f, Seed = seed, UseKeyValueCache = cache,
        })];

        CollectionAssert.AreEqual(Sample(7), Sample(7));
        CollectionAssert.AreEqual(Sample(7), Sample(7, cache: false));
        Assert.IsTrue(Enumerable.Range(8, 5).Any(seed => !Sample((ulong)seed).SequenceEqual(Sample(7))), "another seed draws other tokens");
        var topOne = generator.Generate(prompt, new GenerationOptions { MaxNewTokens = 10, Sample = true, TopK = 1, Seed = 3 });
        CollectionAssert.AreEqual(reference.Ints("greedy"), topOne.ToArray());
    }

    [TestMethod]
    public void GenerationStopsAtTheEndOfTextTokenAndAtNPositions()
    {
        using var reference = new Gpt2Reference();
        var config = reference.Config;
        var model = Gpt2LMHeadModel.FromPretrained(Gpt2Reference.Directory);
        var firstGreedy = reference.Ints("greedy")[0];
        config.EosTokenId = firstGreedy;
        var stopping = new Gpt2LMHeadModel(config);
        stopping.LoadWeights(Gpt2Reference.Directory).EnsureComplete();

        CollectionAssert.AreEqual(new[] { firstGreedy }, new Gpt2Generator(stopping).Generate(reference.Ints("prompt")).ToArray());
        var prompt = Enumerable.Repeat(1, config.MaxPositions - 3).ToArray();
        Assert.AreEqual(3, new Gpt2Generator(model).Generate(prompt, new GenerationOptions { MaxNewTokens = 100 }).Count());
        Assert.ThrowsExactly<ArgumentException>(() => new Gpt2Generator(model).Generate([.. prompt, 1, 1, 1]));
        Assert.ThrowsExactly<ArgumentException>(() => new Gpt2Generator(model).Generate([config.VocabSize]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Gpt2Generator(model).Generate(prompt, new GenerationOptions { TopP = 0 }));
    }

    private static float Number(JsonElement setting, string name, float fallback) =>
        setting.TryGetProperty(name, out var value) ? (float)value.GetDouble() : fallback;
}
