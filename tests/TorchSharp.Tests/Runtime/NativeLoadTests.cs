using static TorchSharp.torch;

namespace MLNet.Transformers.TorchSharp.Tests.Runtime;

[TestClass]
public sealed class NativeLoadTests
{
    [TestMethod]
    public void LibTorchLoadsAndComputes()
    {
        using var matrix = ones(2, 2);
        using var sum = matrix.sum();
        Assert.AreEqual(4f, sum.item<float>());
    }
}
