using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.TorchSharp.Tests.Backends;

namespace MLNet.Transformers.TorchSharp.Tests.Training;

/// <summary>
/// <see cref="DeviceAdamW"/> against the host optimizer (<see cref="AdamW"/> after <see cref="GradientClipping"/>)
/// fed the same gradients for several steps: on libtorch within float rounding (it updates the moments with
/// <c>lerp</c>, as <c>torch.optim.AdamW</c> does), on the managed engine bit for bit. The parameters include two
/// packed into one bound tensor, so their device tensors are views, and clipping is active on some steps only.
/// </summary>
[TestClass]
public sealed class DeviceOptimizerTests
{
    private const int Steps = 5;
    private const float LearningRate = 1e-2f, MaxNorm = 4f;

    /// <summary>Agreement of libtorch's AdamW with the host's: ‖a − b‖ / ‖b‖ of values and of each moment.</summary>
    private const double Tolerance = 1e-6;

    /// <summary>Gradients grow with the step, so the norm starts below <see cref="MaxNorm"/> and ends above it.</summary>
    private const float GradientGrowth = 0.8f;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void TorchAdamWAndClippingMatchTheHostOptimizer()
    {
        var (host, hostNorms) = RunOnHost();
        var (device, deviceNorms) = RunOnDevice(new TorchBackend(TorchDevices.Cpu));
        Assert.IsTrue(hostNorms.Any(n => n < MaxNorm) && hostNorms.Any(n => n > MaxNorm), $"norms {string.Join(", ", hostNorms)}");
        for (var step = 0; step < Steps; step++)
            Assert.AreEqual(hostNorms[step], deviceNorms[step], hostNorms[step] * Tolerance, $"norm at step {step + 1}");
        var errors = Enumerable.Range(0, host.Parameters.Count).SelectMany(i => new (string Name, double Error)[]
        {
            (host.Parameters[i].Name, BackendPair.RelativeError(device.Parameters[i].Value.Span, host.Parameters[i].Value.Span)),
            ($"m of {host.Parameters[i].Name}", BackendPair.RelativeError(device.FirstMoments(i), host.FirstMoments(i))),
            ($"v of {host.Parameters[i].Name}", BackendPair.RelativeError(device.SecondMoments(i), host.SecondMoments(i))),
        }).OrderByDescending(e => e.Error).ToList();
        TestContext.WriteLine($"worst: {string.Join("; ", errors.Take(3).Select(e => $"{e.Name} {e.Error:E2}"))}");
        Assert.IsLessThan(Tolerance, errors[0].Error, errors[0].Name);
    }

    [TestMethod]
    public void ManagedAdamWAndClippingAreTheHostOptimizersBits()
    {
        var (host, hostNorms) = RunOnHost();
        var (device, deviceNorms) = RunOnDevice(new ManagedBackend(new ManagedBackendOptions()));
        CollectionAssert.AreEqual(hostNorms, deviceNorms);
        for (var i = 0; i < host.Parameters.Count; i++)
        {
            var name = host.Parameters[i].Name;
            CollectionAssert.AreEqual(host.Parameters[i].Value.Span.ToArray(), device.Parameters[i].Value.Span.ToArray(), name);
            CollectionAssert.AreEqual(host.FirstMoments(i).ToArray(), device.FirstMoments(i).ToArray(), $"m of {name}");
            CollectionAssert.AreEqual(host.SecondMoments(i).ToArray(), device.SecondMoments(i).ToArray(), $"v of {name}");
        }
    }

    [TestMethod]
    public void DisposingFreesTheDeviceMoments()
    {
        var backend = new TorchBackend(TorchDevices.Cpu);
        var state = (TorchTensor)backend.CreateState(new Tensor(3));
        backend.ReleaseState(state);
        Assert.IsTrue(state.Value.IsInvalid, "the libtorch tensor is freed");

        var (parameters, packed, others) = Parameters();
        DeviceParameter[] bound = [backend.Bind(packed.Value, packed.Gradient), .. others.Select(backend.Bind)];
        var optimizer = new DeviceAdamW(backend, parameters, DeviceParameterMap.Align(backend, parameters, bound));
        optimizer.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => optimizer.Step(LearningRate));
        Assert.AreEqual(0, optimizer.Host.Steps, "the host optimizer is left as it was");
    }

    /// <summary>The host optimizer on its own parameters; returns it (its parameters and moments) and the norms it clipped.</summary>
    private static (AdamW Optimizer, float[] Norms) RunOnHost()
    {
        var (parameters, _, _) = Parameters();
        var optimizer = new AdamW(parameters);
        var norms = new float[Steps];
        for (var step = 0; step < Steps; step++)
        {
            for (var i = 0; i < parameters.Count; i++) Gradient(step, i, parameters[i].Gradient.Span);
            norms[step] = GradientClipping.ClipGlobalNorm(parameters, MaxNorm);
            optimizer.Step(LearningRate);
        }
        return (optimizer, norms);
    }

    /// <summary><see cref="DeviceAdamW"/> on <paramref name="backend"/>, the gradients uploaded to the device; returns its host optimizer after a sync.</summary>
    private static (AdamW Optimizer, float[] Norms) RunOnDevice(ComputeBackend backend)
    {
        var (parameters, packed, others) = Parameters();
        DeviceParameter[] bound = [backend.Bind(packed.Value, packed.Gradient), .. others.Select(backend.Bind)];
        var device = DeviceParameterMap.Align(backend, parameters, bound);
        using var optimizer = new DeviceAdamW(backend, parameters, device);
        var norms = new float[Steps];
        var gradient = new float[parameters.Max(p => p.Value.Length)];
        for (var step = 0; step < Steps; step++)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                var length = parameters[i].Value.Length;
                Gradient(step, i, gradient.AsSpan(0, length));
                backend.Upload(gradient.AsSpan(0, length), device[i].Gradient);
            }
            norms[step] = optimizer.ClipGlobalNorm(MaxNorm);
            optimizer.Step(LearningRate);
        }
        optimizer.SyncToHost();
        return (optimizer.Host, norms);
    }

    /// <summary>
    /// The same parameters every call: two (3, 40) weights packed in one (6, 40) tensor, a (100, 90) weight (more than
    /// one parallel chunk of the host update, with a tail) and a bias that does not decay.
    /// </summary>
    private static (IReadOnlyList<Parameter> All, (Tensor Value, Tensor Gradient) Packed, Parameter[] Others) Parameters()
    {
        var packed = (Value: BackendPair.Random(1, 6, 40), Gradient: new Tensor(6, 40));
        Parameter Part(string name, int offset) => new(name,
            Tensor.Wrap(packed.Value.Storage, offset, 3, 40), Tensor.Wrap(packed.Gradient.Storage, offset, 3, 40), weightDecay: true);
        var matrix = BackendPair.Random(2, 100, 90);
        var bias = BackendPair.Random(3, 90);
        Parameter[] others =
        [
            new("dense.weight", matrix, new Tensor(100, 90), weightDecay: true),
            new("dense.bias", bias, new Tensor(90), weightDecay: false),
        ];
        return ([Part("query.weight", 0), Part("key.weight", 3 * 40), .. others], packed, others);
    }

    /// <summary>The gradient of parameter <paramref name="index"/> at <paramref name="step"/>: N(0, σ²) growing with the step.</summary>
    private static void Gradient(int step, int index, Span<float> destination)
    {
        new Rng((ulong)(step * 10 + index + 1)).FillNormal(destination, 0f, 0.01f * (1 + step * GradientGrowth * 4));
    }
}
