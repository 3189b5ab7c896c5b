using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// The real all-MiniLM-L6-v2 directory (config, tokenizer.json, sentence-transformers modules) with the deterministic
/// weights of the Models.Tests minilm fixture written beside it, against PyTorch's mean-pooled normalised embeddings.
/// </summary>
[TestClass]
public sealed class MiniLmEmbeddingTests
{
    [TestMethod]
    public void TheSharedMiniLmDirectoryEmbedsAsPyTorch()
    {
        var shared = TestPaths.SharedPath("models", "all-MiniLM-L6-v2-no-weights");
        var directory = Directory.CreateTempSubdirectory("mlnet-minilm-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(shared, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(directory, Path.GetRelativePath(shared, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            var parameters = TestPaths.Fixture("Models.Tests", "fixtures", "minilm", "parameters.json");
            SafetensorsWriter.Write(Path.Combine(directory, CheckpointFiles.Safetensors),
                DeterministicWeights.MiniLmTensors(parameters).Select(t => new NamedTensor(t.Name, t.Shape, t.Values)));

            var embedder = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = directory, BatchSize = 4 });
            var vectors = embedder.Embed(EmbedFixture.MiniLmTexts);

            Assert.AreEqual(384, embedder.Dimension);
            EmbedFixture.AssertClose(EmbedFixture.Expected("minilm.mean.normalized"), vectors, "all-MiniLM-L6-v2");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
