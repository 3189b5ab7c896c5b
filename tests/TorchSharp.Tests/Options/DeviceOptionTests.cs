using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Transforms;
using MLNet.Transformers.TorchSharp.Tests.Backends;

namespace MLNet.Transformers.TorchSharp.Tests.Options;

/// <summary>The options' <c>Device</c> names reach the TorchSharp backend through its assembly name alone.</summary>
[TestClass]
public sealed class DeviceOptionTests
{
    [TestMethod]
    public void TorchCpuIsFoundByItsAssemblyName()
    {
        var backend = ComputeBackends.Create(TorchDevices.Cpu);
        Assert.IsInstanceOfType<TorchBackend>(backend);
        Assert.AreEqual(TorchDevices.Cpu, backend.Device);
    }

    [TestMethod]
    public void EmbeddingsOnTorchCpuAreTheManagedOnes()
    {
        string[] texts = ["A quiet morning by the lake.", "Stocks fell sharply on Tuesday.", "ok"];
        var managed = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = TestPaths.SharedPath("models", "all-MiniLM-L6-v2") }).Embed(texts);
        var torch = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = TestPaths.SharedPath("models", "all-MiniLM-L6-v2"), Device = TorchDevices.Cpu }).Embed(texts);
        for (var i = 0; i < texts.Length; i++)
            Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(torch[i], managed[i]), texts[i]);
    }
}
