using System.IO.Compression;
using Microsoft.ML;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Pipeline.Tests;

/// <summary>Damaged and hostile model zips are refused with an exception naming what is wrong; nothing crashes.</summary>
[TestClass]
public sealed class ModelFileTests
{
    private sealed class Row
    {
        public string Text { get; set; } = "";
    }

    private static string SaveModel(TextLengthTransformer transformer)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Text = "abc" } });
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-model-{Guid.NewGuid():N}.zip");
        ml.Model.Save(transformer, data.Schema, path);
        return path;
    }

    /// <summary>What loading <paramref name="path"/> throws, unwrapped from ML.NET's reflection call (<see cref="LoaderErrors"/>).</summary>
    private static Exception LoadFailure(string path)
    {
        try
        {
            new MLContext().Model.Load(path, out _);
        }
        catch (Exception error)
        {
            return LoaderErrors.Unwrap(error);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Fail("The model loaded.");
        return null!;
    }

    /// <summary>The messages of an exception and its inner exceptions (ML.NET may wrap a loader's error).</summary>
    private static string Messages(Exception error) => error.InnerException is null ? error.Message : $"{error.Message} | {Messages(error.InnerException)}";

    private static void Rewrite(string path, string entrySuffix, byte[] content)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(entrySuffix, StringComparison.Ordinal));
        var name = entry.FullName;
        entry.Delete();
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(content);
    }

    [TestMethod]
    public void A_newer_format_version_is_refused_saying_so()
    {
        var path = SaveModel(new TextLengthTransformer("Length", "Text", 4, savedVersion: TextLengthTransformer.CurrentVersion + 1));
        var message = Messages(LoadFailure(path));
        StringAssert.Contains(message, "format version 00010002");
        StringAssert.Contains(message, TextLengthTransformer.LoaderSignature);
    }

    [TestMethod]
    public void An_entry_that_is_not_json_is_named()
    {
        var path = SaveModel(new TextLengthTransformer("Length", "Text", 4));
        Rewrite(path, TextLengthTransformer.SettingsEntry, "{ not json"u8.ToArray());
        var error = LoadFailure(path);
        Assert.IsInstanceOfType<InvalidDataException>(error);
        StringAssert.Contains(error.Message, TextLengthTransformer.SettingsEntry);
        StringAssert.Contains(error.Message, "invalid JSON");
    }

    [TestMethod]
    public void A_missing_entry_is_named()
    {
        var path = SaveModel(new TextLengthTransformer("Length", "Text", 4));
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            zip.Entries.Single(e => e.FullName.EndsWith(TextLengthTransformer.SettingsEntry, StringComparison.Ordinal)).Delete();
        var error = LoadFailure(path);
        Assert.IsInstanceOfType<InvalidDataException>(error);
        StringAssert.Contains(error.Message, "missing");
    }

    [TestMethod]
    public void A_truncated_zip_is_refused()
    {
        var path = SaveModel(new TextLengthTransformer("Length", "Text", 4));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        StringAssert.Contains(Messages(LoadFailure(path)), "zip");
    }

    [TestMethod]
    public void A_file_that_is_not_a_zip_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-model-{Guid.NewGuid():N}.zip");
        File.WriteAllText(path, "Text\tLabel\nthis is a data file, not a model\t1\n");
        StringAssert.Contains(Messages(LoadFailure(path)), "zip");
    }
}
