using MLNet.Transformers.Models.Generation;

namespace MLNet.Transformers.TorchSharp.Tests.Decoder;

/// <summary>
/// Greedy generation on TorchSharp, with and without its key/value cache, gives the managed engine's tokens, for one
/// prompt and for left-padded prompts of different lengths generated together.
/// </summary>
[TestClass]
public sealed class Gpt2GenerationAgreementTests
{
    /// <summary>Weights scale: at N(0, 0.2²) the tiny model's next token is never a near tie between the backends.</summary>
    private const double WeightScale = 0.2;

    private const int NewTokens = 12;

    private static readonly int[] Prompt = [5, 9, 3, 17];

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void GreedyTokensAreTheManagedOnes(bool keyValueCache)
    {
        var (managed, torch) = Gpt2Pair.LanguageModels(Gpt2Pair.Tiny(WeightScale));
        var expected = new Gpt2Generator(managed).Generate(Prompt, Options(useCache: true)).ToArray();

        var actual = new Gpt2Generator(torch).Generate(Prompt, Options(keyValueCache)).ToArray();

        Assert.HasCount(NewTokens, expected, "the tiny model does not stop early");
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void BatchedGreedyTokensAreTheManagedOnes()
    {
        var (managed, torch) = Gpt2Pair.LanguageModels(Gpt2Pair.Tiny(WeightScale));
        IReadOnlyList<int>[] prompts = [Prompt, [8], [30, 2, 11]];
        var expected = new Gpt2Generator(managed).GenerateBatch(prompts, Options(useCache: true)).ToArray();

        var actual = new Gpt2Generator(torch).GenerateBatch(prompts, Options(useCache: true)).ToArray();

        Assert.HasCount(expected.Length, actual);
        for (var step = 0; step < expected.Length; step++) CollectionAssert.AreEqual(expected[step], actual[step], $"step {step}");
    }

    private static GenerationOptions Options(bool useCache) => new() { MaxNewTokens = NewTokens, UseKeyValueCache = useCache };
}
