using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Onnx.Export;

namespace MLNet.Transformers.Models.Tests.Onnx.Export;

/// <summary>
/// Writing an export to a path: through a temporary file renamed into place, so a reader never sees a half-written
/// model and a failure leaves nothing behind; the bytes are those of an export to a stream.
/// </summary>
[TestClass]
public sealed class ExportFileTests
{
    [TestMethod]
    public void AnExportReplacesAnExistingFileAndLeavesNothingElse()
    {
        using var folder = ModelFixtures.Temporary();
        var path = folder.File("model.onnx");
        File.WriteAllText(path, "an older file");

        OnnxExporter.Export(Model(), path);

        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(folder.Path));
        Assert.AreEqual(ExportToMemory().Length, new FileInfo(path).Length);
    }

    [TestMethod]
    public void AFileExportHoldsTheBytesOfAStreamExport()
    {
        using var folder = ModelFixtures.Temporary();
        var path = folder.File("model.onnx");

        OnnxExporter.Export(Model(), path);

        CollectionAssert.AreEqual(ExportToMemory(), File.ReadAllBytes(path));
    }

    [TestMethod]
    public void AMissingFolderIsCreated()
    {
        using var folder = ModelFixtures.Temporary();
        var path = Path.Combine(folder.Path, "nested", "deeper", "model.onnx");

        OnnxExporter.Export(Model(), path);

        Assert.IsTrue(File.Exists(path));
    }

    [TestMethod]
    public void AnExportThatCannotTakeItsPlaceLeavesNoTemporaryFile()
    {
        using var folder = ModelFixtures.Temporary();
        var occupied = Directory.CreateDirectory(folder.File("model.onnx")).FullName; // a folder where the file should go

        Assert.Throws<IOException>(() => OnnxExporter.Export(Model(), occupied));

        Assert.IsEmpty(Directory.GetFiles(folder.Path));
    }

    [TestMethod]
    public void ACheckpointExportWritesConfigAndTokenizerBesideTheModelAndLoadsBack()
    {
        using var folder = ModelFixtures.Temporary();
        var path = folder.File("model.onnx");
        var model = Model();

        var written = OnnxExporter.ExportCheckpoint(model, path, new Dictionary<string, byte[]> { ["vocab.txt"] = "[PAD]\n"u8.ToArray() });

        CollectionAssert.AreEqual(new[] { folder.File("config.json"), folder.File("vocab.txt"), path }, written.ToArray());
        CollectionAssert.AreEquivalent(written.ToArray(), Directory.GetFileSystemEntries(folder.Path));
        CollectionAssert.AreEqual(model.Config.Labels.ToArray(), BertConfig.Load(folder.File("config.json")).Labels.ToArray());
        CollectionAssert.AreEqual(ExportToMemory(), File.ReadAllBytes(path));
    }

    [TestMethod]
    [DataRow("../vocab.txt")]
    [DataRow("sub/vocab.txt")]
    [DataRow("config.json")]
    [DataRow("model.onnx")]
    [DataRow("")]
    public void ATokenizerFileNameThatIsNotAPlainFileOfItsOwnIsRefusedAndNothingIsWritten(string name)
    {
        using var folder = ModelFixtures.Temporary();

        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            OnnxExporter.ExportCheckpoint(Model(), folder.File("model.onnx"), new Dictionary<string, byte[]> { [name] = [1] }));

        StringAssert.Contains(error.Message, $"'{name}'");
        Assert.IsEmpty(Directory.GetFileSystemEntries(folder.Path));
    }

    private static BertForSequenceClassification Model() => SmallModels.Classifier(SmallModels.Config(EncoderArchitecture.Bert));

    private static byte[] ExportToMemory()
    {
        using var stream = new MemoryStream();
        OnnxExporter.Export(Model(), stream);
        return stream.ToArray();
    }
}
