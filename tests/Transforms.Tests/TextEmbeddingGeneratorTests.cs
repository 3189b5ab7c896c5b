using Microsoft.Extensions.AI;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>The Microsoft.Extensions.AI generator over the embedder, against the PyTorch reference.</summary>
[TestClass]
public sealed class TextEmbeddingGeneratorTests
{
    [TestMethod]
    public async Task GeneratedEmbeddingsMatchPyTorchInInputOrder()
    {
        using IEmbeddingGenerator<string, Embedding<float>> generator = new TextEmbeddingGenerator(
            new TextEmbeddingOptions { ModelPath = EmbedFixture.ModelDirectory, BatchSize = 3 });

        var embeddings = await generator.GenerateAsync(EmbedFixture.Texts);

        EmbedFixture.AssertClose(EmbedFixture.Expected("truncate.mean.normalized"), [.. embeddings.Select(e => e.Vector.ToArray())], "generator");
        Assert.AreEqual("embed", embeddings[0].ModelId);
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.AreEqual(32, metadata.DefaultModelDimensions);
        Assert.AreEqual(TextEmbeddingGenerator.ProviderName, metadata.ProviderName);
    }

    [TestMethod]
    [DataRow("models/all-MiniLM-L6-v2", "all-MiniLM-L6-v2")]
    [DataRow("models/all-MiniLM-L6-v2/", "all-MiniLM-L6-v2")]
    [DataRow("models/all-MiniLM-L6-v2/model.onnx", "all-MiniLM-L6-v2")]
    [DataRow("models/minilm-int8.onnx", "minilm-int8")]
    public void TheModelIdNamesTheCheckpointNotItsFile(string path, string expected) =>
        Assert.AreEqual(expected, TextEmbeddingGenerator.ModelIdOf(path));

    [TestMethod]
    public async Task AnotherWidthIsRefused()
    {
        using var generator = new TextEmbeddingGenerator(new TextEmbeddingOptions { ModelPath = EmbedFixture.ModelDirectory });

        await Assert.ThrowsExactlyAsync<NotSupportedException>(() => generator.GenerateAsync(["good"], new EmbeddingGenerationOptions { Dimensions = 16 }));
    }
}
