using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// Saved models whose embedding entries were damaged after saving (rewritten with System.IO.Compression), and files
/// that are not models: loading refuses them with a message naming the entry, never a crash.
/// </summary>
[TestClass]
public sealed class HostileModelTests
{
    private const string Settings = "embedding.json";

    public static IEnumerable<object[]> Damages() =>
    [
        [Settings, "bad JSON settings"],
        [Settings, "settings out of range"],
        ["model.safetensors", "truncated weights"],
        ["vocab.txt", "missing tokenizer file"],
        ["tokenizer-files.json", "a path among the tokenizer files"],
        ["config.json", "bad config"],
        ["columns.json", "missing columns"],
    ];

    [TestMethod]
    [DynamicData(nameof(Damages))]
    public void ADamagedEntryIsNamed(string entry, string damage)
    {
        using var file = SavedPipeline();
        Rewrite(file.Path, entry, damage switch
        {
            "bad JSON settings" => _ => "{ \"poolingModes\": [\"Mean\"",
            "settings out of range" => text => text.Replace("\"batchSize\": 32", "\"batchSize\": 0", StringComparison.Ordinal),
            "truncated weights" => text => text[..(text.Length / 2)],
            "a path among the tokenizer files" => _ => "[\"../../vocab.txt\"]",
            "bad config" => _ => "{ \"hidden_size\": \"wide\" }",
            _ => null,
        });

        var error = LoaderErrors.Unwrap(Assert.Throws<Exception>(() => new MLContext(seed: 1).Model.Load(file.Path, out _)));

        Assert.IsInstanceOfType<InvalidDataException>(error, damage);
        StringAssert.Contains(error.Message, "/" + entry, damage);
    }

    [TestMethod]
    public void ASettingOutOfRangeIsNamed()
    {
        using var file = SavedPipeline();
        Rewrite(file.Path, Settings, text => text.Replace("\"maximumTokens\": 16", "\"maximumTokens\": 100000", StringComparison.Ordinal));

        var error = LoaderErrors.Unwrap(Assert.Throws<Exception>(() => new MLContext(seed: 1).Model.Load(file.Path, out _)));

        StringAssert.Contains(error.Message, "/" + Settings);
        StringAssert.Contains(error.Message, "MaximumTokens 100000");
    }

    [TestMethod]
    public void AFileThatIsNotAZipIsRefused()
    {
        using var file = new TempFile(".zip");
        File.WriteAllBytes(file.Path, [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * 7))]);

        var error = Assert.ThrowsExactly<FormatException>(() => new MLContext(seed: 1).Model.Load(file.Path, out _));

        StringAssert.Contains(error.Message, "zip");
    }

    private static TempFile SavedPipeline()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Review.Of(EmbedFixture.Texts));
        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", EmbedFixture.ModelDirectory)
            .Append(ml.Transforms.Concatenate("Combined", "Features", "Rating"))
            .Fit(data);
        var file = new TempFile(".zip");
        ml.Model.Save(model, data.Schema, file.Path);
        return file;
    }

    /// <summary>
    /// Replaces the one entry whose name ends in <paramref name="name"/> by <paramref name="change"/> of its contents
    /// (read as Latin-1, so that any bytes survive), or deletes it when the change is null.
    /// </summary>
    private static void Rewrite(string path, string name, Func<string, string>? change)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith("/" + name, StringComparison.Ordinal));
        string contents;
        using (var reader = new StreamReader(entry.Open(), Encoding.Latin1)) contents = reader.ReadToEnd();
        var fullName = entry.FullName;
        entry.Delete();
        if (change is null) return;
        using var replaced = zip.CreateEntry(fullName).Open();
        replaced.Write(Encoding.Latin1.GetBytes(change(contents)));
    }
}
