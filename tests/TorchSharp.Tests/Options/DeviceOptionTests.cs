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

    /// <summary>Least cosine of a bfloat16 embedding to the single-precision one (measured here on six sentences: mean 0.99997, minimum 0.99992).</summary>
    private const double BFloat16Cosine = 0.998;

    private static readonly string[] Texts =
    [
        "A quiet morning by the lake.", "Stocks fell sharply on Tuesday.", "ok",
        "the film is a charming , witty and often moving portrait of a family .", "nice", "I would not recommend this hotel to anyone.",
    ];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void EmbeddingsOnTorchCpuAreTheManagedOnes()
    {
        var (managed, torch) = (Embed(ComputeBackends.DefaultDevice, Precision.Float32), Embed(TorchDevices.Cpu, Precision.Float32));
        for (var i = 0; i < Texts.Length; i++)
            Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(torch[i], managed[i]), Texts[i]);
    }

    [TestMethod]
    public void BFloat16EmbeddingsKeepTheirDirection()
    {
        var (single, half) = (Embed(ComputeBackends.DefaultDevice, Precision.Float32), Embed(TorchDevices.Cpu, Precision.BFloat16));
        var cosines = Texts.Select((_, i) => Cosine(half[i], single[i])).ToList();
        TestContext.WriteLine($"bfloat16 vs float32 cosine: mean {cosines.Average():F5}, minimum {cosines.Min():F5}");
        Assert.IsGreaterThanOrEqualTo(BFloat16Cosine, cosines.Min());
    }

    [TestMethod]
    public void TheManagedEngineRefusesBFloat16NamingTheBackendThatHasIt()
    {
        var error = Assert.ThrowsExactly<NotSupportedException>(() => Embed(ComputeBackends.DefaultDevice, Precision.BFloat16));
        StringAssert.Contains(error.Message, "torch:cpu");
    }

    private sealed class Row
    {
        public string Text { get; set; } = "";
    }

    [TestMethod]
    public void ABFloat16PipelineRefusesToSaveSayingWhy()
    {
        var ml = new Microsoft.ML.MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Texts.Select(text => new Row { Text = text }));
        var options = new TextEmbeddingOptions
        {
            ModelPath = TestPaths.SharedPath("models", "all-MiniLM-L6-v2"), Device = TorchDevices.Cpu, Precision = Precision.BFloat16,
        };
        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", options).Fit(data);
        using var stream = new MemoryStream();

        var error = LoaderErrors.Unwrap(Assert.Throws<Exception>(() => ml.Model.Save(model, data.Schema, stream)));

        Assert.IsInstanceOfType<InvalidOperationException>(error);
        StringAssert.Contains(error.Message, "Precision.BFloat16 cannot be saved");
    }

    private static float[][] Embed(string device, Precision precision) => TextEmbedder.FromPretrained(new TextEmbeddingOptions
    {
        ModelPath = TestPaths.SharedPath("models", "all-MiniLM-L6-v2"),
        Device = device,
        Precision = precision,
    }).Embed(Texts);

    private static double Cosine(float[] a, float[] b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);
}
