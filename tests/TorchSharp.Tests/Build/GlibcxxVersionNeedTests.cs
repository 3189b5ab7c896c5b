using System.Reflection;
using System.Text;
using MLNet.Transformers.TorchSharp.Build;

namespace MLNet.Transformers.TorchSharp.Tests.Build;

[TestClass]
public sealed class GlibcxxVersionNeedTests
{
    /// <summary>The package's own copy of the native library, as restored (never patched: the step patches output copies).</summary>
    private static string PackagedLibrary =>
        Path.Combine(typeof(GlibcxxVersionNeedTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "TorchSharpPackage").Value!,
            "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [TestMethod]
    public void PatchingFlipsOneByteAndIsIdempotent()
    {
        var copy = CopyToTestDirectory(PackagedLibrary);
        var original = File.ReadAllBytes(copy);

        Assert.AreEqual(GlibcxxVersionNeed.Outcome.Patched, GlibcxxVersionNeed.Patch(copy));
        var patched = File.ReadAllBytes(copy);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        Assert.AreEqual(original.Length, patched.Length);
        Assert.HasCount(1, changed);
        Assert.AreEqual(0x2, patched[changed[0]] ^ original[changed[0]], "only VER_FLG_WEAK is set");

        Assert.AreEqual(GlibcxxVersionNeed.Outcome.AlreadyWeak, GlibcxxVersionNeed.Patch(copy));
        CollectionAssert.AreEqual(patched, File.ReadAllBytes(copy));
    }

    [TestMethod]
    public void TheOutputCopyIsPatchedOnlyWhereLibstdcxxLacksTheVersion()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var system = GlibcxxVersionNeed.FindSystemLibrary();
        Assert.IsNotNull(system);
        var expected = GlibcxxVersionNeed.Defines(system)
            ? GlibcxxVersionNeed.Outcome.Patched // left alone by the build: patching it now would change it
            : GlibcxxVersionNeed.Outcome.AlreadyWeak;
        Assert.AreEqual(expected, GlibcxxVersionNeed.Patch(CopyToTestDirectory(output)));
    }

    [TestMethod]
    public void DefinesAgreesWithTheVersionStringOfTheSystemLibrary()
    {
        var system = GlibcxxVersionNeed.FindSystemLibrary()!;
        var named = Encoding.ASCII.GetString(File.ReadAllBytes(system)).Contains(GlibcxxVersionNeed.Version + "\0", StringComparison.Ordinal);
        Assert.AreEqual(named, GlibcxxVersionNeed.Defines(system));
    }

    [TestMethod]
    public void ALibraryWithoutTheNeedIsLeftAlone()
    {
        var system = CopyToTestDirectory(GlibcxxVersionNeed.FindSystemLibrary()!);
        var before = File.ReadAllBytes(system);
        Assert.AreEqual(GlibcxxVersionNeed.Outcome.NotNeeded, GlibcxxVersionNeed.Patch(system));
        CollectionAssert.AreEqual(before, File.ReadAllBytes(system));
    }

    [TestMethod]
    public void AFileThatIsNotAnElfLibraryIsRefusedByName()
    {
        var path = Path.Combine(TemporaryDirectory(), "not-elf.so");
        File.WriteAllText(path, "not a library");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => GlibcxxVersionNeed.Patch(path));
        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, "not an ELF file");
        Assert.AreEqual("not a library", File.ReadAllText(path));
    }

    [TestMethod]
    public void ASecondSymbolOnTheVersionIsRefused()
    {
        var copy = CopyToTestDirectory(PackagedLibrary);
        var bytes = File.ReadAllBytes(copy);
        RebindAnotherSymbol(bytes);
        File.WriteAllBytes(copy, bytes);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => GlibcxxVersionNeed.Patch(copy));
        StringAssert.Contains(error.Message, "expected only " + GlibcxxVersionNeed.Symbol);
        CollectionAssert.AreEqual(bytes, File.ReadAllBytes(copy));
    }

    /// <summary>
    /// Binds a second dynamic symbol to the GLIBCXX_3.4.32 version index, read independently of the patcher: the
    /// section headers (ELF64: table at 0x28, count at 0x3c, 64 bytes each), then 16-byte Vernaux entries in
    /// .gnu.version_r whose name is that string, then the 2-byte entries of .gnu.version.
    /// </summary>
    private static void RebindAnotherSymbol(byte[] elf)
    {
        var span = elf.AsSpan();
        var table = (int)BitConverter.ToUInt64(span[0x28..]);
        var headers = Enumerable.Range(0, BitConverter.ToUInt16(span[0x3c..])).Select(i => table + i * 64).ToList();
        int Type(int header) => (int)BitConverter.ToUInt32(elf, header + 4);
        int Offset(int header) => (int)BitConverter.ToUInt64(elf, header + 0x18);
        int Size(int header) => (int)BitConverter.ToUInt64(elf, header + 0x20);
        var (verneed, versym) = (headers.Single(h => Type(h) == 0x6ffffffe), headers.Single(h => Type(h) == 0x6fffffff));
        var strings = Offset(headers[(int)BitConverter.ToUInt32(elf, verneed + 0x28)]);
        var name = Encoding.ASCII.GetString(elf).IndexOf("\0" + GlibcxxVersionNeed.Version + "\0", strings, StringComparison.Ordinal) + 1 - strings;
        var aux = Enumerable.Range(0, Size(verneed) / 16).Select(i => Offset(verneed) + 16 * i)
            .Single(a => BitConverter.ToUInt32(elf, a + 8) == name);
        var index = BitConverter.ToUInt16(elf, aux + 6);
        var entries = Enumerable.Range(0, Size(versym) / 2).Select(i => Offset(versym) + 2 * i);
        var other = entries.First(e => BitConverter.ToUInt16(elf, e) is > 1 and var v && v != index);
        BitConverter.TryWriteBytes(span[other..], index);
    }

    private readonly List<string> _directories = [];

    [TestCleanup]
    public void RemoveCopies()
    {
        foreach (var directory in _directories) Directory.Delete(directory, recursive: true);
    }

    /// <summary>A fresh directory outside the build output (the build step would otherwise see the copies), removed after the test.</summary>
    private string TemporaryDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("glibcxx-patch-").FullName;
        _directories.Add(directory);
        return directory;
    }

    private string CopyToTestDirectory(string path)
    {
        var copy = Path.Combine(TemporaryDirectory(), Path.GetFileName(path));
        File.Copy(path, copy);
        return copy;
    }
}
