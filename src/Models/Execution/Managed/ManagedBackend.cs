using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution.Managed;

/// <summary>
/// The managed engine as a <see cref="ComputeBackend"/>: every operation is the kernel the layers called directly
/// before (same bits), on host tensors that are the parameters' own memory, so nothing is copied. An instance owns its
/// execution settings (<see cref="ManagedBackendOptions"/>: threads and GEMM kernel) and applies them on the calling
/// thread around each operation, so two models on two backends run side by side, each on its own threads, and nothing
/// process-wide is changed. Thread-safe: it holds no mutable state.
/// </summary>
public sealed partial class ManagedBackend : ComputeBackend
{
    /// <summary>The device name of the managed engine.</summary>
    public const string DeviceName = "cpu";

    /// <summary>The managed engine with the default <see cref="ManagedBackendOptions"/> (every core, the fastest kernel).</summary>
    public static ManagedBackend Instance { get; } = new(new ManagedBackendOptions());

    private readonly int _degree;
    private readonly GemmKernel _kernel;

    /// <summary>A managed engine with the given threads and GEMM kernel.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ManagedBackendOptions.DegreeOfParallelism"/> is less than 1.</exception>
    /// <exception cref="NotSupportedException"><see cref="ManagedBackendOptions.GemmKernel"/> needs instructions this CPU does not have.</exception>
    public ManagedBackend(ManagedBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.DegreeOfParallelism is < 1)
            throw new ArgumentOutOfRangeException(
                nameof(options), options.DegreeOfParallelism, $"{nameof(ManagedBackendOptions)}.{nameof(ManagedBackendOptions.DegreeOfParallelism)} must be at least 1.");
        if (!Gemm.IsSupported(options.GemmKernel))
            throw new NotSupportedException(
                $"{nameof(ManagedBackendOptions)}.{nameof(ManagedBackendOptions.GemmKernel)}: the {options.GemmKernel} kernel needs instructions this CPU does not have.");
        Options = options;
        _degree = options.DegreeOfParallelism ?? Environment.ProcessorCount;
        _kernel = options.GemmKernel;
    }

    /// <summary>The settings this backend applies around its operations.</summary>
    public ManagedBackendOptions Options { get; }

    /// <summary>This backend's settings on the calling thread until disposed.</summary>
    private EngineScope Enter() => EngineScope.Enter(_degree, _kernel);

    /// <inheritdoc />
    public override string Device => DeviceName;

    /// <inheritdoc />
    public override bool SharesHostMemory => true;

    /// <inheritdoc />
    public override int ConcurrentBatches => _degree;

    /// <inheritdoc />
    public override void RunBatches(int count, Action<int> runBatch)
    {
        using var scope = Enter();
        Parallelism.ForEachBatch(count, runBatch);
    }

    /// <inheritdoc />
    public override DeviceBuffer CreateBuffer() => new HostBuffer();

    /// <inheritdoc />
    public override DeviceParameter Bind(Tensor value, Tensor gradient) =>
        new(value, gradient, new HostTensor(value), new HostTensor(gradient));

    /// <inheritdoc />
    public override DeviceTensor Constant(Tensor value) => new HostTensor(value);

    /// <inheritdoc />
    public override void PushValues(IEnumerable<DeviceParameter> parameters)
    {
    }

    /// <inheritdoc />
    public override void PullGradients(IEnumerable<DeviceParameter> parameters)
    {
    }

    /// <inheritdoc />
    public override void Upload(ReadOnlySpan<float> values, DeviceTensor destination) => values.CopyTo(S(destination));

    /// <inheritdoc />
    public override void Download(DeviceTensor source, Span<float> destination) => S(source).CopyTo(destination);

    /// <inheritdoc />
    public override DeviceTensor PrepareWeight(DeviceParameter weight, Precision precision)
    {
        using var scope = Enter();
        return new PreparedWeight(weight.HostValue, precision);
    }

    /// <inheritdoc />
    public override void CopyInto(DeviceTensor source, DeviceTensor destination, int offset) => S(source).CopyTo(S(destination)[offset..]);

    /// <inheritdoc />
    public override void Fill(DeviceTensor tensor, float value) => S(tensor).Fill(value);

    /// <inheritdoc />
    public override void Linear(DeviceTensor x, DeviceTensor weight, DeviceTensor? bias, DeviceTensor y)
    {
        using var scope = Enter();
        var n = Rows(y);
        if (weight is PreparedWeight prepared) prepared.Forward(S(x), O(bias), S(y), n);
        else Tensors.Linear.Forward(S(x), S(weight), O(bias), S(y), n, weight.Size(1), weight.Size(0));
    }

    /// <inheritdoc />
    public override void LinearBackward(
        DeviceTensor dy, DeviceTensor x, DeviceTensor weight, DeviceTensor? dx, DeviceTensor dWeight, DeviceTensor? dBias)
    {
        using var scope = Enter();
        Tensors.Linear.Backward(S(dy), S(x), S(weight), O(dx), S(dWeight), O(dBias), Rows(dy), weight.Size(1), weight.Size(0));
    }

    /// <inheritdoc />
    public override void BiasActivation(ActivationKind kind, DeviceTensor bias, DeviceTensor pre, DeviceTensor act)
    {
        using var scope = Enter();
        Activation.BiasForward(kind, S(bias), S(pre), S(act), Rows(pre));
    }

    /// <inheritdoc />
    public override void BiasActivationBackward(ActivationKind kind, DeviceTensor dAct, DeviceTensor pre, DeviceTensor dPre, DeviceTensor dBias)
    {
        using var scope = Enter();
        Activation.BiasBackward(kind, S(dAct), S(pre), S(dPre), S(dBias), Rows(pre));
    }

    /// <inheritdoc />
    public override void LayerNorm(
        DeviceTensor x, DeviceTensor gamma, DeviceTensor beta, DeviceTensor y, DeviceTensor? mean, DeviceTensor? rstd, float eps)
    {
        using var scope = Enter();
        Tensors.LayerNorm.Forward(S(x), S(gamma), S(beta), S(y), O(mean), O(rstd), Rows(x), eps);
    }

    /// <inheritdoc />
    public override void LayerNormResidual(
        DeviceTensor x, DeviceTensor bias, DeviceTensor residual, DeviceTensor gamma, DeviceTensor beta, DeviceTensor y, float eps)
    {
        using var scope = Enter();
        Tensors.LayerNorm.ForwardResidual(S(x), S(bias), S(residual), S(gamma), S(beta), S(y), Rows(x), eps);
    }

    /// <inheritdoc />
    public override void LayerNormBackward(
        DeviceTensor dy, DeviceTensor x, DeviceTensor gamma, DeviceTensor mean, DeviceTensor rstd,
        DeviceTensor dx, DeviceTensor dGamma, DeviceTensor dBeta)
    {
        using var scope = Enter();
        Tensors.LayerNorm.Backward(S(dy), S(x), S(gamma), S(mean), S(rstd), S(dx), S(dGamma), S(dBeta), Rows(dy));
    }

    /// <inheritdoc />
    public override void BiasDropoutResidual(DeviceTensor x, DeviceTensor bias, DeviceTensor residual, DeviceTensor y, float p, ulong key)
    {
        using var scope = Enter();
        Tensors.BiasDropoutResidual.Forward(S(x), S(bias), S(residual), S(y), Rows(x), p, key);
    }

    /// <inheritdoc />
    public override void BiasDropoutResidualBackward(DeviceTensor dy, DeviceTensor dx, DeviceTensor dBias, float p, ulong key)
    {
        using var scope = Enter();
        Tensors.BiasDropoutResidual.Backward(S(dy), S(dx), S(dBias), Rows(dy), p, key);
    }

    /// <inheritdoc />
    public override void Dropout(DeviceTensor x, DeviceTensor y, float p, ulong key)
    {
        using var scope = Enter();
        Tensors.Dropout.Forward(S(x), S(y), p, key);
    }

    /// <inheritdoc />
    public override void Add(DeviceTensor a, DeviceTensor b, DeviceTensor y)
    {
        using var scope = Enter();
        Residual.Forward(S(a), S(b), S(y));
    }

    /// <inheritdoc />
    public override void Attention(
        DeviceTensor qkv, DeviceTensor? mask, DeviceTensor context, AttentionShape shape, AttentionOptions options,
        DeviceTensor? probabilities, DeviceTensor? dropped, DeviceBuffer scratch)
    {
        using var scope = Enter();
        if (probabilities is null)
        {
            // One sequence at a time, nothing kept: the scores need (H, T, T) per thread instead of (B, H, T, T).
            var perThread = S(scratch.Get(ScaledDotProductAttention.SequenceScratchLength(shape)));
            ScaledDotProductAttention.ForwardBySequence(S(qkv), O(mask), perThread, S(context), shape, options.Causal);
            return;
        }
        ScaledDotProductAttention.Forward(S(qkv), O(mask), S(probabilities), O(dropped), S(context), shape, options);
    }

    /// <inheritdoc />
    public override void AttentionBackward(
        DeviceTensor dContext, DeviceTensor qkv, DeviceTensor probabilities, DeviceTensor? dropped, DeviceTensor scores,
        DeviceTensor dQkv, AttentionShape shape, AttentionOptions options)
    {
        using var scope = Enter();
        ScaledDotProductAttention.Backward(S(dContext), S(qkv), S(probabilities), O(dropped), S(scores), S(dQkv), shape, options);
    }

    /// <inheritdoc />
    public override void Embedding(ReadOnlySpan<int> ids, DeviceTensor table, DeviceTensor y)
    {
        using var scope = Enter();
        Tensors.Embedding.Forward(ids, S(table), S(y), table.Size(1));
    }

    /// <inheritdoc />
    public override void EmbeddingBackward(ReadOnlySpan<int> ids, DeviceTensor dy, DeviceTensor dTable, int? paddingRow)
    {
        using var scope = Enter();
        var c = dTable.Size(1);
        if (paddingRow is not { } row)
        {
            Tensors.Embedding.Backward(ids, S(dy), S(dTable), c);
            return;
        }
        var padding = S(dTable).Slice(row * c, c);
        var kept = padding.ToArray();
        Tensors.Embedding.Backward(ids, S(dy), S(dTable), c);
        kept.CopyTo(padding);
    }

    /// <inheritdoc />
    public override void FirstToken(DeviceTensor hidden, DeviceTensor pooled)
    {
        using var scope = Enter();
        Tensors.Pooling.ClsForward(S(hidden), S(pooled), hidden.Size(0), hidden.Size(1));
    }

    /// <inheritdoc />
    public override void FirstTokenBackward(DeviceTensor dPooled, DeviceTensor dHidden)
    {
        using var scope = Enter();
        Tensors.Pooling.ClsBackward(S(dPooled), S(dHidden), dHidden.Size(0), dHidden.Size(1));
    }

    /// <summary>The rows of a (rows, ..., last) tensor: its length over its last dimension.</summary>
    private static int Rows(DeviceTensor t) => t.Length / t.Size(-1);

    private static Span<float> S(DeviceTensor t) => t is HostTensor host
        ? host.Span
        : throw new ArgumentException($"The managed engine computes on its own tensors, got a {t.GetType().Name}.");

    private static Span<float> O(DeviceTensor? t) => t is null ? [] : S(t);
}
