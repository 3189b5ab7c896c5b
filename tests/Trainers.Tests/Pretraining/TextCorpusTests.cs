using MLNet.Transformers.Trainers.Pretraining;

namespace MLNet.Transformers.Trainers.Tests.Pretraining;

[TestClass]
public sealed class TextCorpusTests
{
    private string _directory = "";

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("corpus").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [TestMethod]
    public void ReadsLinesParagraphsAndJsonLinesFromADirectory()
    {
        Write("a/lines.txt", "first line\nsecond line\n\n");
        Write("b/paragraphs.txt", "one\nparagraph\n\n\nanother\n");
        Write("c/texts.jsonl", "{\"text\": \"from json\", \"id\": 1}\n\n{\"text\": \"more\"}\n");
        Write("d/ignored.csv", "not,read\n");
        var texts = new TextCorpus([_directory], 0, 1).ReadAll().ToList();
        CollectionAssert.AreEqual(new[] { "first line", "second line", "one paragraph", "another", "from json", "more" }, texts);
    }

    [TestMethod]
    public void TheSplitIsDisjointCompleteAndSeeded()
    {
        var file = Write("many.txt", string.Join('\n', Enumerable.Range(0, 2000).Select(i => $"text {i}")));
        var corpus = new TextCorpus([file], 0.1, 42);
        var (training, heldOut) = (corpus.Read(CorpusPart.Training).ToList(), corpus.Read(CorpusPart.HeldOut).ToList());
        Assert.AreEqual(2000, training.Count + heldOut.Count);
        Assert.AreEqual(0, training.Intersect(heldOut).Count());
        Assert.IsTrue(heldOut.Count is > 140 and < 260, $"{heldOut.Count} held out of 2000 at 10 %");
        CollectionAssert.AreEqual(heldOut, new TextCorpus([file], 0.1, 42).Read(CorpusPart.HeldOut).ToList());
        CollectionAssert.AreNotEqual(heldOut, new TextCorpus([file], 0.1, 43).Read(CorpusPart.HeldOut).ToList());
    }

    [TestMethod]
    public void AJsonLineWithoutTextNamesTheFileAndLine()
    {
        var file = Write("bad.jsonl", "{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => new TextCorpus([file], 0, 1).ReadAll().ToList());
        StringAssert.Contains(error.Message, "bad.jsonl:2");
        StringAssert.Contains(error.Message, "'text'");
    }

    [TestMethod]
    public void BadPathsAreReported()
    {
        Assert.ThrowsExactly<FileNotFoundException>(() => new TextCorpus([Path.Combine(_directory, "missing.txt")], 0, 1));
        var csv = Write("data.csv", "a,b\n");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => new TextCorpus([csv], 0, 1)).Message, "data.csv");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => new TextCorpus([_directory + "/"], 0, 1)).Message, "no .txt or .jsonl");
    }
}
