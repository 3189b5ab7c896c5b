using System.Buffers;
using System.Numerics.Tensors;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using HostTensor = MLNet.Transformers.Tensors.Tensor;
using Tensor = TorchSharp.torch.Tensor;

namespace MLNet.Transformers.TorchSharp;

/// <summary>
/// The TorchSharp backend: the model's operations on libtorch tensors on a CPU (<c>torch:cpu</c>) or an NVIDIA GPU
/// (<c>cuda</c>, <c>cuda:N</c>). Each operation is written with libtorch functions and an explicit backward formula
/// (the activations' derivatives by libtorch's autograd inside the operation); every temporary lives in a dispose
/// scope of its operation, so memory stays at the activations the layers keep. Dropout masks are the managed
/// engine's (made on the host from the stream key and uploaded), so both backends drop the same elements.
/// Training runs in single precision, or in bfloat16 mixed precision for a backend created with
/// <see cref="TrainingPrecision.BFloat16"/>; inference weights can be prepared in <see cref="Precision.BFloat16"/> (see
/// <see cref="PrepareWeight(DeviceParameter, Precision)"/>).
/// </summary>
public sealed partial class TorchBackend : ComputeBackend
{
    private readonly Device _device;
    private readonly ScalarType _elementType;
    private long _elementsUploaded, _elementsDownloaded;

    /// <summary>A backend on <paramref name="device"/>.</summary>
    /// <param name="device"><c>torch:cpu</c>, <c>cuda</c> or <c>cuda:N</c> (see <see cref="TorchDevices"/>).</param>
    /// <exception cref="ArgumentException">The device name is not one of those.</exception>
    /// <exception cref="InvalidOperationException">A CUDA device without a CUDA libtorch; the message names the package to add.</exception>
    public TorchBackend(string device)
        : this(device, TrainingPrecision.Float32)
    {
    }

    /// <summary>A backend on <paramref name="device"/> whose products run in <paramref name="trainingPrecision"/>.</summary>
    /// <param name="device"><c>torch:cpu</c>, <c>cuda</c> or <c>cuda:N</c> (see <see cref="TorchDevices"/>).</param>
    /// <param name="trainingPrecision">Single precision, or bfloat16 mixed precision (see <see cref="MLNet.Transformers.TrainingPrecision"/>).</param>
    /// <exception cref="ArgumentException">The device name is not one of those.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The precision is not a defined one.</exception>
    /// <exception cref="InvalidOperationException">A CUDA device without a CUDA libtorch; the message names the package to add.</exception>
    public TorchBackend(string device, TrainingPrecision trainingPrecision)
        : this(device, ScalarType.Float32)
    {
        if (!Enum.IsDefined(trainingPrecision))
            throw new ArgumentOutOfRangeException(nameof(trainingPrecision), trainingPrecision, "Not a defined training precision.");
        TrainingPrecision = trainingPrecision;
    }

    /// <summary>A backend whose tensors hold <paramref name="elementType"/>: double precision gives the tests a reference for both single-precision backends.</summary>
    internal TorchBackend(string device, ScalarType elementType)
    {
        Device = device;
        _device = TorchDevices.Resolve(device);
        _elementType = elementType;
    }

    /// <inheritdoc />
    public override string Device { get; }

    /// <inheritdoc />
    public override bool SharesHostMemory => false;

    /// <summary>The libtorch device.</summary>
    public Device TorchDevice => _device;

    /// <inheritdoc />
    public override int ConcurrentBatches => 1;

    /// <inheritdoc />
    public override void RunBatches(int count, Action<int> runBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(runBatch);
        for (var batch = 0; batch < count; batch++) runBatch(batch);
    }

    /// <inheritdoc />
    public override DeviceBuffer CreateBuffer() => new TorchBuffer(_device, _elementType);

    /// <inheritdoc />
    public override DeviceParameter Bind(HostTensor value, HostTensor gradient)
    {
        var device = Persistent(value);
        Upload(value.Span, device);
        var deviceGradient = Persistent(gradient);
        deviceGradient.Value.zero_();
        return new DeviceParameter(value, gradient, device, deviceGradient);
    }

    /// <inheritdoc />
    public override DeviceTensor Constant(HostTensor value)
    {
        var device = Persistent(value);
        Upload(value.Span, device);
        return device;
    }

    /// <inheritdoc />
    public override void PushValues(IEnumerable<DeviceParameter> parameters)
    {
        foreach (var parameter in parameters)
            if (!IsResident(parameter)) Upload(parameter.HostValue.Span, parameter.Value);
    }

    /// <inheritdoc />
    public override void PullGradients(IEnumerable<DeviceParameter> parameters)
    {
        foreach (var parameter in parameters.Where(p => !IsResident(p)))
        {
            var host = parameter.HostGradient.Span;
            var device = ArrayPool<float>.Shared.Rent(host.Length);
            try
            {
                Download(parameter.Gradient, device.AsSpan(0, host.Length));
                TensorPrimitives.Add(host, device.AsSpan(0, host.Length), host);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(device);
            }
            T(parameter.Gradient).zero_();
        }
    }

    /// <inheritdoc />
    public override void Upload(ReadOnlySpan<float> values, DeviceTensor destination)
    {
        ForgetProductCopy(destination);
        using var scope = NewDisposeScope();
        CountUploaded(values.Length);
        var target = T(destination);
        if (target.device_type == DeviceType.CPU && target.dtype == ScalarType.Float32 && target.is_contiguous())
        {
            target.data<float>().CopyFrom(values);
            return;
        }
        var staging = empty(target.shape, ScalarType.Float32, CPU);
        staging.data<float>().CopyFrom(values);
        target.copy_(staging);
    }

    /// <inheritdoc />
    public override void Download(DeviceTensor source, Span<float> destination)
    {
        using var scope = NewDisposeScope();
        CountDownloaded(destination.Length);
        T(source).to(ScalarType.Float32).cpu().contiguous().data<float>().CopyTo(destination);
    }

    /// <inheritdoc />
    public override void CopyInto(DeviceTensor source, DeviceTensor destination, int offset)
    {
        ForgetProductCopy(destination);
        using var scope = NewDisposeScope();
        T(destination).view(-1).narrow(0, offset, source.Length).copy_(T(source).view(-1));
    }

    /// <inheritdoc />
    public override void Fill(DeviceTensor tensor, float value)
    {
        ForgetProductCopy(tensor);
        T(tensor).fill_(value);
    }

    /// <summary>
    /// Elements copied from the host to this backend's tensors so far: values, index tensors and dropout masks. With
    /// <see cref="ElementsDownloaded"/> it measures what crosses between the host and the device.
    /// </summary>
    public long ElementsUploaded => Interlocked.Read(ref _elementsUploaded);

    /// <summary>Elements copied from this backend's tensors to the host so far (values and scalars read back).</summary>
    public long ElementsDownloaded => Interlocked.Read(ref _elementsDownloaded);

    private void CountUploaded(long elements) => Interlocked.Add(ref _elementsUploaded, elements);

    private void CountDownloaded(long elements) => Interlocked.Add(ref _elementsDownloaded, elements);

    /// <summary>A device tensor of <paramref name="like"/>'s shape that outlives every scope (a parameter, a table).</summary>
    private TorchTensor Persistent(HostTensor like)
    {
        var created = empty([.. like.Shape.ToArray().Select(d => (long)d)], _elementType, _device);
        created.DetachFromDisposeScope();
        return new TorchTensor(created);
    }

    /// <summary>The libtorch tensor of a device tensor of this backend.</summary>
    private static Tensor T(DeviceTensor tensor) => tensor is TorchTensor torchTensor
        ? torchTensor.Value
        : throw new ArgumentException($"The TorchSharp backend computes on its own tensors, got a {tensor.GetType().Name}.");

    /// <summary><paramref name="tensor"/> seen as rows of its last dimension (a view).</summary>
    private static Tensor Rows(DeviceTensor tensor) => T(tensor).reshape(-1, tensor.Size(-1));

    /// <summary>The managed engine's dropout factors (0 or 1/(1 − p)) for <paramref name="count"/> elements of stream <paramref name="key"/>, on the device.</summary>
    private Tensor DropoutFactors(long count, float p, ulong key)
    {
        var factors = new float[count];
        Array.Fill(factors, 1f);
        Tensors.Dropout.Forward(factors, factors, p, key);
        return HostValues(factors);
    }

    /// <summary>A device tensor holding host <paramref name="values"/>, counted in <see cref="ElementsUploaded"/>.</summary>
    private Tensor HostValues(float[] values)
    {
        CountUploaded(values.Length);
        return tensor(values, device: _device);
    }
}
