using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Checkpoints.Torch;

namespace MLNet.Transformers.Models.Tests.Checkpoints;

[TestClass]
public sealed class SafetensorsReaderTests
{
    [TestMethod]
    public void ReadsTheSameValuesAsTheTorchSaveOfTheSameWeights()
    {
        using var safetensors = SafetensorsReader.Open(ModelFixtures.File("roberta", "model.safetensors"));
        using var torch = TorchCheckpointReader.Open(ModelFixtures.File("checkpoints", "pytorch_model.bin"));

        CollectionAssert.AreEquivalent(safetensors.Names.ToList(), torch.Names.ToList());
        foreach (var name in safetensors.Names)
        {
            Assert.AreEqual(safetensors.Describe(name), torch.Describe(name), name);
            var fromTorch = new float[torch.Describe(name).ElementCount];
            torch.Read(name, fromTorch);
            CollectionAssert.AreEqual(safetensors.ReadSingle(name), fromTorch, name);
        }
        Assert.AreEqual("pt", safetensors.Header.Metadata["format"]);
        CollectionAssert.AreEqual(new long[] { 1000, 64 }, safetensors.Describe("roberta.embeddings.word_embeddings.weight").Shape.ToArray());
    }

    [TestMethod]
    public void StreamLoadReadsWhatTheMemoryMapReads()
    {
        var path = ModelFixtures.File("checkpoints", "dtypes.safetensors");
        using var mapped = SafetensorsReader.Open(path);
        using var stream = File.OpenRead(path);
        using var loaded = SafetensorsReader.Load(stream, "entry in model.zip");

        CollectionAssert.AreEqual(mapped.Names.ToList(), loaded.Names.ToList());
        foreach (var name in mapped.Names) CollectionAssert.AreEqual(mapped.GetBytes(name).ToArray(), loaded.GetBytes(name).ToArray(), name);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => SafetensorsReader.Load(new MemoryStream(new byte[12]), "entry in model.zip"));
        StringAssert.Contains(error.Message, "entry in model.zip");
    }

    [TestMethod]
    public void ASymbolicLinkReadsAsTheFileItPointsTo()
    {
        // Hugging Face's cache lays a snapshot out as links to blobs; a link's own length is that of its target's path.
        using var directory = ModelFixtures.Temporary();
        var path = ModelFixtures.File("checkpoints", "dtypes.safetensors");
        var link = directory.File("model.safetensors");
        File.CreateSymbolicLink(link, Path.GetFullPath(path));
        using var original = SafetensorsReader.Open(path);
        using var linked = SafetensorsReader.Open(link);

        CollectionAssert.AreEqual(original.Names.ToList(), linked.Names.ToList());
        foreach (var name in original.Names) CollectionAssert.AreEqual(original.GetBytes(name).ToArray(), linked.GetBytes(name).ToArray(), name);
    }

    [TestMethod]
    public void WidensHalfAndBFloat16AndNarrowsDoubleLikeTorch()
    {
        using var reader = SafetensorsReader.Open(ModelFixtures.File("checkpoints", "dtypes.safetensors"));
        foreach (var (stored, dtype) in new[] { ("values.f16", TensorDType.F16), ("values.bf16", TensorDType.BF16), ("values.f64", TensorDType.F64) })
        {
            Assert.AreEqual(dtype, reader.Describe(stored).DType);
            CollectionAssert.AreEqual(reader.ReadSingle(stored + ".as_f32"), reader.ReadSingle(stored), stored);
        }
    }

    [TestMethod]
    public void RefusesToReadIntegerTensorsAsFloats()
    {
        using var reader = SafetensorsReader.Open(ModelFixtures.File("checkpoints", "dtypes.safetensors"));
        Assert.AreEqual(TensorDType.I64, reader.Describe("position_ids").DType);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => reader.ReadSingle("position_ids"));
        StringAssert.Contains(error.Message, "position_ids");
    }

    [TestMethod]
    public void ShardedIndexServesEveryTensorFromItsShard()
    {
        using var single = SafetensorsReader.Open(ModelFixtures.File("roberta", "model.safetensors"));
        using var sharded = CheckpointFiles.Open(ModelFixtures.File("checkpoints", CheckpointFiles.SafetensorsIndex));

        Assert.IsInstanceOfType<ShardedTensorSource>(sharded);
        CollectionAssert.AreEquivalent(single.Names.ToList(), sharded.Names.ToList());
        foreach (var name in single.Names)
        {
            var values = new float[sharded.Describe(name).ElementCount];
            sharded.Read(name, values);
            CollectionAssert.AreEqual(single.ReadSingle(name), values, name);
        }
    }

    [TestMethod]
    public void ShardedIndexNamingATensorItsShardLacksIsRejected()
    {
        using var directory = ModelFixtures.Temporary();
        var shard = directory.File("a.safetensors");
        SafetensorsWriter.Write(shard, [new NamedTensor("x", [2], new float[] { 1, 2 })]);
        File.WriteAllText(directory.File("index.safetensors.index.json"), """{"weight_map": {"x": "a.safetensors", "y": "a.safetensors"}}""");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => CheckpointFiles.Open(directory.File("index.safetensors.index.json")));
        StringAssert.Contains(error.Message, "'y'");
    }

    [TestMethod]
    public void DirectoryWithoutWeightsNamesWhatItLookedFor()
    {
        using var directory = ModelFixtures.Temporary();
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => CheckpointFiles.Open(directory.Path));
        StringAssert.Contains(error.Message, CheckpointFiles.Safetensors);
    }
}
