using Microsoft.ML;
using Microsoft.ML.Tokenizers;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Trainers.Training;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Trainers.Tests.Classification;

/// <summary>
/// The trainer given a <c>Microsoft.ML.Tokenizers</c> tokenizer (<see cref="TextClassificationOptions.Tokenizer"/>):
/// all-MiniLM-L6-v2 fine-tunes on Microsoft's own ids, a vocabulary of another size is refused with both numbers, and
/// what needs the tokenizer's files (saving, checkpointing, ONNX export) is refused saying why.
/// </summary>
[TestClass]
public sealed class MicrosoftTokenizerTests
{
    private static string VocabTxt => Path.Combine(MiniLmOnnxPackage.SharedCheckpoint, "vocab.txt");

    private static TextClassificationOptions Run(Microsoft.ML.Tokenizers.Tokenizer tokenizer) => new()
    {
        Sentence1ColumnName = nameof(TextRow.Text),
        LabelColumnName = nameof(TextRow.Label),
        ModelPath = MiniLmOnnxPackage.SharedCheckpoint,
        Tokenizer = tokenizer,
        MaxTokens = 16,
        BatchSize = 8,
        Epochs = 1,
        Seed = 5,
    };

    [TestMethod]
    public void MiniLmFineTunesOnMicrosoftsIdsAndRefusesToSaveThem()
    {
        var microsoft = BertTokenizer.Create(VocabTxt);
        var context = new MLContext(seed: 1);
        var rows = context.View(SyntheticText.Rows(16, seed: 1));
        var model = context.BinaryClassification.Trainers.TextClassification(Run(microsoft)).Fit(rows);

        foreach (var text in context.Data.CreateEnumerable<TextRow>(rows, reuseRowObject: false).Select(row => row.Text))
            CollectionAssert.AreEqual(microsoft.EncodeToIds(text).ToArray(), model.Encoder.Encode([(text, null)])[0].Ids, text);
        Assert.HasCount(2, model.PredictProbabilities("a fine film"));

        using var stream = new MemoryStream();
        var error = LoaderErrors.Unwrap(Assert.Throws<Exception>(() => context.Model.Save(model, rows.Schema, stream)));
        StringAssert.Contains(error.Message, "BertTokenizer passed in TextClassificationOptions.Tokenizer");
        Assert.ThrowsExactly<InvalidOperationException>(() => model.ExportOnnx(Path.Combine(Path.GetTempPath(), "never.onnx")));
    }

    [TestMethod]
    public void AVocabularyOfAnotherSizeIsRefusedWithBothNumbers()
    {
        var gpt2 = TestPaths.SharedPath("tokenizers", "gpt2");
        var bpe = BpeTokenizer.Create(Path.Combine(gpt2, "vocab.json"), Path.Combine(gpt2, "merges.txt"));
        var context = new MLContext(seed: 1);
        var error = Assert.ThrowsExactly<InvalidOptionException>(() => context.BinaryClassification.Trainers
            .TextClassification(Run(bpe)).Fit(context.View(SyntheticText.Rows(16, seed: 1))));
        StringAssert.Contains(error.Message, "50257 tokens");
        StringAssert.Contains(error.Message, "30522 tokens");
    }

    [TestMethod]
    public void CheckpointingWithATokenizerWithoutFilesIsRefusedBeforeTraining()
    {
        var context = new MLContext(seed: 1);
        var options = Run(BertTokenizer.Create(VocabTxt)) with { CheckpointDirectory = Path.Combine(Path.GetTempPath(), "never-written") };
        var error = Assert.ThrowsExactly<InvalidOptionException>(() => context.BinaryClassification.Trainers
            .TextClassification(options).Fit(context.View(SyntheticText.Rows(16, seed: 1))));
        StringAssert.Contains(error.Message, "CheckpointDirectory");
        Assert.IsFalse(Directory.Exists(options.CheckpointDirectory));
    }
}
