using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution;

/// <summary>
/// AdamW and global-norm clipping on a backend's device, so parameters stay where they are computed with: the moment
/// estimates live on the device beside the values, clipping reads the gradients there, and only the squared norm comes
/// back. A host <see cref="AdamW"/> keeps the step count and the host copy of the moments, which
/// <see cref="SyncToHost"/> brings up to date (for a checkpoint) and <see cref="SyncToDevice"/> sends down (after a
/// resume). On the managed engine the device tensors are the host ones and every operation is the host optimizer's,
/// so a run gives the same bits as <see cref="AdamW"/> with <see cref="GradientClipping"/>. Disposing it frees the
/// device moments (the host <see cref="Host"/> stays usable).
/// </summary>
public sealed class DeviceAdamW : IDisposable
{
    private readonly ComputeBackend _backend;
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly IReadOnlyList<DeviceParameter> _device;
    private readonly AdamWOptions _options;
    private readonly DeviceTensor[] _firstMoments, _secondMoments;
    private bool _disposed;

    /// <summary>Creates the optimizer with zeroed moments, on the device and on the host.</summary>
    /// <param name="backend">The backend the parameters are bound to.</param>
    /// <param name="parameters">The host parameters (their names and whether each decays).</param>
    /// <param name="device">Their device parameters, in the same order.</param>
    /// <param name="options">The hyper-parameters; null for the defaults.</param>
    /// <exception cref="ArgumentException">The lists differ in length, or a device parameter is bound to another host tensor.</exception>
    public DeviceAdamW(ComputeBackend backend, IReadOnlyList<Parameter> parameters, IReadOnlyList<DeviceParameter> device, AdamWOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(device);
        if (parameters.Count != device.Count)
            throw new ArgumentException($"{parameters.Count} parameters but {device.Count} device parameters.", nameof(device));
        for (var i = 0; i < parameters.Count; i++)
            if (!ReferenceEquals(parameters[i].Value, device[i].HostValue))
                throw new ArgumentException($"The device parameter at {i} is not bound to {parameters[i].Name}.", nameof(device));
        (_backend, _parameters, _device) = (backend, parameters, device);
        _options = options ?? new AdamWOptions();
        Host = new AdamW(parameters, _options);
        _firstMoments = new DeviceTensor[parameters.Count];
        _secondMoments = new DeviceTensor[parameters.Count];
        for (var i = 0; i < parameters.Count; i++)
        {
            var (first, second) = Host.Moments(i);
            (_firstMoments[i], _secondMoments[i]) = (backend.CreateState(first), backend.CreateState(second));
        }
    }

    /// <summary>
    /// The host optimizer: its <see cref="AdamW.Steps"/> is always current; its moments, like the host values, only
    /// after <see cref="SyncToHost"/> (always on the managed engine). Restoring a state into it takes a
    /// <see cref="SyncToDevice"/>.
    /// </summary>
    public AdamW Host { get; }

    /// <summary>
    /// Clips the device gradients to global L2 norm <paramref name="maxNorm"/> as <see cref="GradientClipping.ClipGlobalNorm"/>
    /// does (positive infinity: no clipping); returns the norm before clipping.
    /// </summary>
    public float ClipGlobalNorm(float maxNorm)
    {
        var norm = Math.Sqrt(_backend.GradientSquareSum(_device));
        var coefficient = GradientClipping.Coefficient(norm, maxNorm);
        if (coefficient < 1) _backend.ScaleGradients(_device, (float)coefficient);
        return (float)norm;
    }

    /// <summary>Applies one update with learning rate <paramref name="learningRate"/> from the device gradients to the device values.</summary>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void Step(float learningRate)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Host.Steps++;
        var update = AdamWUpdate.For(_options, learningRate, Host.Steps);
        for (var i = 0; i < _device.Count; i++)
            _backend.AdamWStep(_device[i], _firstMoments[i], _secondMoments[i], update.ForParameter(_parameters[i].WeightDecay));
    }

    /// <summary>
    /// Copies the device values, and with <paramref name="moments"/> the moments, into the host parameters and
    /// <see cref="Host"/> (nothing to copy on a backend that shares host memory).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void SyncToHost(bool moments = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_backend.SharesHostMemory) return;
        for (var i = 0; i < _device.Count; i++)
        {
            _backend.Download(_device[i].Value, _parameters[i].Value.Span);
            if (!moments) continue;
            _backend.Download(_firstMoments[i], Host.FirstMoments(i));
            _backend.Download(_secondMoments[i], Host.SecondMoments(i));
        }
    }

    /// <summary>Copies the host values and <see cref="Host"/>'s moments to the device (after they were loaded on the host).</summary>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void SyncToDevice()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_backend.SharesHostMemory) return;
        for (var i = 0; i < _device.Count; i++)
        {
            _backend.Upload(_parameters[i].Value.Span, _device[i].Value);
            _backend.Upload(Host.FirstMoments(i), _firstMoments[i]);
            _backend.Upload(Host.SecondMoments(i), _secondMoments[i]);
        }
    }

    /// <summary>Frees the device moments; the optimizer cannot step afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var moment in _firstMoments.Concat(_secondMoments)) _backend.ReleaseState(moment);
    }
}
