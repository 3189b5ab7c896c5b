using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;

namespace MLNet.Transformers.Models.Tests.Execution;

[TestClass]
public sealed class ComputeBackendsTests
{
    [TestMethod]
    public void TheDefaultDeviceIsTheManagedEngine() =>
        Assert.AreSame(ManagedBackend.Instance, ComputeBackends.Create(ComputeBackends.DefaultDevice));

    [TestMethod]
    [DataRow("cuda")]
    [DataRow("cuda:1")]
    [DataRow("torch:cpu")]
    public void ATorchDeviceWithoutThePackageNamesIt(string device)
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ComputeBackends.Create(device));
        StringAssert.Contains(error.Message, ComputeBackends.TorchSharpPackage);
        StringAssert.Contains(error.Message, device);
    }

    [TestMethod]
    public void AnUnknownDeviceListsTheKnownOnes()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => ComputeBackends.Create("gpu"));
        StringAssert.Contains(error.Message, "'cpu'");
        StringAssert.Contains(error.Message, "cuda:N");
    }
}
