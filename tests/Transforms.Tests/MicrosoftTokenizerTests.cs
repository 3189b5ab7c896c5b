using Microsoft.ML;
using Microsoft.ML.Tokenizers;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tokenizers.Interop;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// The featurizer given a <c>Microsoft.ML.Tokenizers</c> tokenizer (<see cref="TextEmbeddingOptions.Tokenizer"/>):
/// Microsoft's BertTokenizer over the model's vocabulary embeds as PyTorch does; a vocabulary of another size is
/// refused with both numbers; a model holding a tokenizer without files refuses to save, ours loaded from files saves.
/// </summary>
[TestClass]
public sealed class MicrosoftTokenizerTests
{
    private static string VocabTxt => Path.Combine(EmbedFixture.ModelDirectory, "vocab.txt");

    private static BertTokenizer Bert(string vocabTxt) =>
        BertTokenizer.Create(vocabTxt, new BertOptions { RemoveNonSpacingMarks = true, IndividuallyTokenizeCjk = true });

    [TestMethod]
    public void MicrosoftsBertTokenizerEmbedsAsPyTorch()
    {
        var truncated = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = EmbedFixture.ModelDirectory, Tokenizer = Bert(VocabTxt) });
        EmbedFixture.AssertClose(EmbedFixture.Expected("truncate.mean.normalized"), truncated.Embed(EmbedFixture.Texts), "truncated");
        Assert.AreEqual(EmbedFixture.LongTexts, truncated.TruncatedCount);

        var windows = TextEmbedder.FromPretrained(new TextEmbeddingOptions
        {
            ModelPath = EmbedFixture.ModelDirectory, Tokenizer = Bert(VocabTxt), LongTextMode = LongTextMode.SlidingWindow,
            WindowOverlap = EmbedFixture.WindowOverlap, Normalize = false,
        });
        EmbedFixture.AssertClose(EmbedFixture.Expected("window.mean"), windows.Embed(EmbedFixture.Texts), "windows");

        var pairs = TextEmbedder.FromPretrained(new TextEmbeddingOptions
        {
            ModelPath = EmbedFixture.ModelDirectory, Tokenizer = Bert(VocabTxt), Pooling = PoolingMode.Mean, Normalize = false,
        });
        var vectors = pairs.Embed([.. EmbedFixture.Pairs.Select(p => p.Text)], [.. EmbedFixture.Pairs.Select(p => p.Pair)]);
        EmbedFixture.AssertClose(EmbedFixture.Expected("pair.mean"), vectors, "pairs (type ids from the model's files)");
    }

    [TestMethod]
    public void AVocabularyOfAnotherSizeIsRefusedWithBothNumbers()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => TextEmbedder.FromPretrained(new TextEmbeddingOptions
        {
            ModelPath = EmbedFixture.ModelDirectory,
            Tokenizer = Bert(TestPaths.SharedPath("tokenizers", "bert-base-uncased", "vocab.txt")),
        }));
        StringAssert.Contains(error.Message, "30522 tokens");
        StringAssert.Contains(error.Message, "42 rows");
        StringAssert.Contains(error.Message, "TextEmbeddingOptions.Tokenizer");
    }

    [TestMethod]
    public void AModelWithATokenizerWithoutFilesRefusesToSaveSayingWhy()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Review.Of(EmbedFixture.Texts));
        var options = new TextEmbeddingOptions { ModelPath = EmbedFixture.ModelDirectory, Tokenizer = Bert(VocabTxt) };
        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", options).Fit(data);
        using var file = new TempFile(".zip");

        var error = LoaderErrors.Unwrap(Assert.Throws<Exception>(() => ml.Model.Save(model, data.Schema, file.Path)));

        Assert.IsInstanceOfType<InvalidOperationException>(error);
        StringAssert.Contains(error.Message, "Microsoft.ML.Tokenizers.BertTokenizer passed in TextEmbeddingOptions.Tokenizer");
        StringAssert.Contains(error.Message, "cannot be saved");
    }

    [TestMethod]
    public void OurTokenizerLoadedFromFilesSavesAndLoadsInAnotherContext()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Review.Of(EmbedFixture.Texts));
        var options = new TextEmbeddingOptions { ModelPath = EmbedFixture.ModelDirectory, Tokenizer = HuggingFaceTokenizer.Load(VocabTxt) };
        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", options).Fit(data);
        using var file = new TempFile(".zip");

        ml.Model.Save(model, data.Schema, file.Path);
        var loaded = new MLContext(seed: 2).Model.Load(file.Path, out _);

        var after = TestData.Features(ml, loaded.Transform(data));
        TestData.AssertSameBits(TestData.Features(ml, model.Transform(data)), after, "loaded");
        EmbedFixture.AssertClose(EmbedFixture.Expected("truncate.mean.normalized"), after, "loaded vs PyTorch");
    }
}
