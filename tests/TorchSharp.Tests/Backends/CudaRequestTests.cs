namespace MLNet.Transformers.TorchSharp.Tests.Backends;

[TestClass]
public sealed class CudaRequestTests
{
    [TestMethod]
    public void ACudaDeviceWithoutCudaLibtorchNamesThePackageToAdd()
    {
        if (global::TorchSharp.torch.cuda.is_available()) Assert.Inconclusive("This machine has a CUDA libtorch and a GPU.");
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new TorchBackend("cuda:1"));
        StringAssert.Contains(error.Message, "TorchSharp-cuda-linux");
        StringAssert.Contains(error.Message, "'cuda:1'");
    }

    [TestMethod]
    [DataRow("cpu")]
    [DataRow("cuda:x")]
    [DataRow("gpu")]
    public void OtherNamesAreRefusedWithTheValidOnes(string device)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => TorchDevices.Resolve(device));
        StringAssert.Contains(error.Message, device);
    }
}
