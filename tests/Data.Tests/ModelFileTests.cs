using System.Buffers.Binary;
using System.IO.Compression;

namespace MLNet.Transformers.Data.Tests;

[TestClass]
public sealed class ModelFileTests
{
    private static readonly TransformersContext Context = new(seed: 1);

    /// <summary>A pipeline using every transformer: value→key, a batching component from this assembly, key→value.</summary>
    private static (ITransformer Model, IDataView Data) FitPipeline()
    {
        var data = Context.Data.LoadFromEnumerable(BatchMapperTests.Rows(50));
        var model = Context.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
            .Append(new FixedEstimator(new WeightedSumTransformer([0.5f, -1, 3], batchSize: 7)))
            .Append(Context.Transforms.Conversion.MapKeyToValue("LabelBack", "LabelKey"))
            .Fit(data);
        return (model, data);
    }

    public sealed class Output
    {
        public string Label { get; set; } = "";
        public uint LabelKey { get; set; }
        public float Sum { get; set; }
        public string LabelBack { get; set; } = "";
        public int Count { get; set; }
    }

    private static Output[] Run(ITransformer model, IDataView data) =>
        [.. Context.Data.CreateEnumerable<Output>(model.Transform(data), reuseRowObject: false)];

    private static void AssertSameOutputs(Output[] expected, Output[] actual)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i].Label, actual[i].Label);
            Assert.AreEqual(expected[i].LabelKey, actual[i].LabelKey);
            Assert.AreEqual(expected[i].Sum, actual[i].Sum);
            Assert.AreEqual(expected[i].LabelBack, actual[i].LabelBack);
            Assert.AreEqual(expected[i].Count, actual[i].Count);
        }
    }

    [TestMethod]
    public void EveryTransformerRoundTripsWithIdenticalOutputs()
    {
        using var dir = new TempDirectory();
        var (model, data) = FitPipeline();
        var path = dir.File("model.zip");

        Context.Model.Save(model, data.Schema, path);
        var loaded = Context.Model.Load(path, out var inputSchema);

        AssertSameOutputs(Run(model, data), Run(loaded, data));
        Assert.AreEqual(data.Schema.ToString(), inputSchema.ToString());
        var steps = ((IEnumerable<ITransformer>)loaded).ToArray();
        Assert.IsInstanceOfType<ValueToKeyMappingTransformer>(steps[0]);
        CollectionAssert.AreEqual(new[] { 0.5f, -1, 3 }, ((WeightedSumTransformer)steps[1]).Weights);
        Assert.AreEqual(7, ((WeightedSumTransformer)steps[1]).BatchSize);
        Assert.IsInstanceOfType<KeyToValueMappingTransformer>(steps[2]);
    }

    [TestMethod]
    public void TheZipHoldsAManifestAndEachComponentsOwnEntries()
    {
        using var dir = new TempDirectory();
        var (model, data) = FitPipeline();
        var path = dir.File("model.zip");
        Context.Model.Save(model, data.Schema, path);

        using var zip = ZipFile.OpenRead(path);
        var names = zip.Entries.Select(e => e.FullName).Order().ToArray();

        CollectionAssert.AreEqual(new[]
        {
            "manifest.json", "model/0/keys.json", "model/1/options.json", "model/1/weights.bin", "model/2/columns.json", "model/chain.json",
        }, names);
        using var manifest = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        string text = manifest.ReadToEnd();
        StringAssert.Contains(text, "\"name\": \"Tests.WeightedSum\"");
        StringAssert.Contains(text, "\"assembly\": \"MLNet.Transformers.Data.Tests\"");
        StringAssert.Contains(text, "\"type\": \"Vector<Single, 3>\"");
    }

    [TestMethod]
    public void AFailedSaveLeavesTheExistingFileUntouched()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.zip", "previous model");
        var model = new TransformerChain<ITransformer>(new ThrowingTransformer());

        Assert.ThrowsExactly<IOException>(() => Context.Model.Save(model, Context.Data.LoadFromEnumerable(BatchMapperTests.Rows(1)).Schema, path));

        Assert.AreEqual("previous model", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(dir.Path));
    }

    [TestMethod]
    public void ATruncatedFileIsRefusedClearly()
    {
        using var dir = new TempDirectory();
        var path = SavedModel(dir);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.ThrowsExactly<ModelFormatException>(() => Context.Model.Load(path, out _));

        StringAssert.Contains(error.Message, $"{path} is not a model file");
    }

    [TestMethod]
    public void CorruptedCompressedDataIsRefusedNamingTheEntry()
    {
        using var dir = new TempDirectory();
        var path = SavedModel(dir);
        var bytes = File.ReadAllBytes(path);
        int start = LocalDataOffset(bytes, "model/1/weights.bin");
        for (int i = 0; i < 8; i++) bytes[start + i] ^= 0x5A;
        File.WriteAllBytes(path, bytes);

        var error = Assert.ThrowsExactly<ModelFormatException>(() => Context.Model.Load(path, out _));

        StringAssert.Contains(error.Message, "model/1/");
    }

    [TestMethod]
    [DataRow("../../evil.sh")]
    [DataRow("/etc/cron.d/evil")]
    [DataRow("model\\..\\..\\evil.sh")]
    [DataRow("C:/evil.sh")]
    [DataRow("model/./0/keys.json")]
    [DataRow("model//evil")]
    public void AnEntryEscapingTheArchiveIsRefused(string name)
    {
        using var dir = new TempDirectory();
        var path = SavedModel(dir);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        using (var writer = new StreamWriter(zip.CreateEntry(name).Open()))
            writer.Write("rm -rf /");

        var error = Assert.ThrowsExactly<ModelFormatException>(() => Context.Model.Load(path, out _));

        StringAssert.Contains(error.Message, $"'{name}' has an unsafe name");
    }

    [TestMethod]
    public void AHugeDeclaredSizeIsRefusedBeforeReading()
    {
        using var dir = new TempDirectory();
        var path = SavedModel(dir);
        var bytes = File.ReadAllBytes(path);
        int central = CentralHeaderOffset(bytes, "model/0/keys.json");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(central + 24), 0xFFFF_FFF0); // declared uncompressed size
        File.WriteAllBytes(path, bytes);

        var error = Assert.ThrowsExactly<ModelFormatException>(() => Context.Model.Load(path, out _));

        StringAssert.Contains(error.Message, "'model/0/keys.json' declares 4294967280 bytes");
    }

    [TestMethod]
    public void EntriesAboveTheConfiguredLimitAreRefused()
    {
        using var dir = new TempDirectory();
        var path = SavedModel(dir);

        var error = Assert.ThrowsExactly<ModelFormatException>(() => Context.Model.Load(path, new ModelLoadOptions { MaxEntryBytes = 8 }, out _));

        StringAssert.Contains(error.Message, "more than the 8 allowed");
    }

    [TestMethod]
    public void ANewerFormatVersionIsRefusedWithAnUpgradeHint()
    {
        using var dir = new TempDirectory();
        var path = SavedModel(dir);
        RewriteEntry(path, "manifest.json", text => text.Replace("\"formatVersion\": 1", "\"formatVersion\": 9"));

        var error = Assert.ThrowsExactly<ModelFormatException>(() => Context.Model.Load(path, out _));

        StringAssert.Contains(error.Message, "model format version 9; this build reads versions 1 to 1");
    }

    [TestMethod]
    public void ANewerComponentVersionIsRefusedNamingTheComponent()
    {
        using var dir = new TempDirectory();
        var path = SavedModel(dir);
        RewriteEntry(path, "manifest.json", text => text.Replace("\"name\": \"ValueToKeyMapping\",\n      \"version\": 1", "\"name\": \"ValueToKeyMapping\",\n      \"version\": 2"));

        var error = Assert.ThrowsExactly<ModelFormatException>(() => Context.Model.Load(path, out _));

        StringAssert.Contains(error.Message, "component 'ValueToKeyMapping' at 'model/0/' has entry layout version 2");
    }

    [TestMethod]
    public void AnUnknownComponentIsNamedWithItsAssembly()
    {
        using var dir = new TempDirectory();
        var path = SavedModel(dir);
        RewriteEntry(path, "manifest.json", text => text
            .Replace("\"Tests.WeightedSum\"", "\"Fancy.Encoder\"").Replace("\"MLNet.Transformers.Data.Tests\"", "\"Fancy.Models\""));

        var error = Assert.ThrowsExactly<ModelFormatException>(() => Context.Model.Load(path, out _));

        StringAssert.Contains(error.Message, "component 'Fancy.Encoder' from assembly 'Fancy.Models', which is not available");
    }

    [TestMethod]
    public void DamagedComponentContentIsReportedWithTheComponent()
    {
        using var dir = new TempDirectory();
        var path = SavedModel(dir);
        RewriteEntry(path, "model/0/keys.json", _ => "[{\"output\": \"LabelKey\"");

        var error = Assert.ThrowsExactly<ModelFormatException>(() => Context.Model.Load(path, out _));

        StringAssert.Contains(error.Message, "component 'ValueToKeyMapping' at 'model/0/' could not be read");
    }

    [TestMethod]
    public void AFileThatIsNotAZipIsRefused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.zip", "just some text, not a zip");

        var error = Assert.ThrowsExactly<ModelFormatException>(() => Context.Model.Load(path, out _));

        StringAssert.Contains(error.Message, "not a readable zip archive");
    }

    private static string SavedModel(TempDirectory dir)
    {
        var (model, data) = FitPipeline();
        var path = dir.File("model.zip");
        Context.Model.Save(model, data.Schema, path);
        return path;
    }

    private static void RewriteEntry(string path, string name, Func<string, string> edit)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry(name)!;
        string text;
        using (var reader = new StreamReader(entry.Open())) text = reader.ReadToEnd();
        string edited = edit(text);
        Assert.AreNotEqual(text, edited, "the edit changed nothing");
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(name).Open());
        writer.Write(edited);
    }

    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint LocalHeaderSignature = 0x04034b50;

    /// <summary>The offset of the central directory record of entry <paramref name="name"/>.</summary>
    private static int CentralHeaderOffset(byte[] zip, string name)
    {
        for (int i = 0; i + 46 < zip.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) != CentralHeaderSignature) continue;
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28));
            if (System.Text.Encoding.UTF8.GetString(zip, i + 46, nameLength) == name) return i;
        }
        throw new AssertFailedException($"no central record for {name}");
    }

    /// <summary>The offset of the compressed data of entry <paramref name="name"/>.</summary>
    private static int LocalDataOffset(byte[] zip, string name)
    {
        int local = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(CentralHeaderOffset(zip, name) + 42));
        Assert.AreEqual(LocalHeaderSignature, BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(local)));
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(local + 26));
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(local + 28));
        return local + 30 + nameLength + extraLength;
    }

    /// <summary>An estimator returning a transformer built in advance.</summary>
    private sealed class FixedEstimator(WeightedSumTransformer transformer) : IEstimator<WeightedSumTransformer>
    {
        public WeightedSumTransformer Fit(IDataView input)
        {
            transformer.GetOutputSchema(input.Schema);
            return transformer;
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
            inputSchema.With(new SchemaShape.Column("Sum", SchemaShape.VectorKind.Scalar, NumberDataViewType.Single, false, []));
    }

    /// <summary>A component whose save fails half-way, after writing an entry.</summary>
    private sealed class ThrowingTransformer : RowToRowTransformerBase, IModelComponent<ThrowingTransformer>
    {
        public static string ComponentName => "Tests.Throwing";

        public static int FormatVersion => 1;

        public static ThrowingTransformer Load(ModelLoadContext ctx) => new();

        protected override RowMapper MakeRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        public override void Save(ModelSaveContext ctx)
        {
            using (var stream = ctx.CreateEntry("partial.bin")) stream.Write(new byte[1000]);
            throw new IOException("disk full");
        }
    }
}
