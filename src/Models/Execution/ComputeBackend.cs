using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution;

/// <summary>
/// Where a model runs, and the operations its one definition calls (as llm.c keeps CPU and CUDA versions of the same
/// layer functions): dense products, LayerNorm, fused bias and activation, attention, bias + dropout + residual,
/// embeddings, pooling, each with its backward. The managed engine (<see cref="Managed.ManagedBackend"/>) runs them on
/// its own kernels; the TorchSharp backend (package <c>MLNet.Transformers.TorchSharp</c>) on libtorch tensors on a CPU
/// or an NVIDIA GPU. A backend owns its tensors and buffers; parameters stay on the host too (checkpoints and the
/// optimizer read them there) and move with <see cref="PushValues"/> and <see cref="PullGradients"/>.
/// Shapes: N rows (tokens), C input width, O output width. Backward operations add into parameter gradients and
/// overwrite input gradients unless said otherwise. Dropout masks are the managed engine's (a function of a stream
/// key and the element index), so both backends drop the same elements.
/// </summary>
public abstract partial class ComputeBackend
{
    /// <summary>The device, as options name it: <c>cpu</c> for the managed engine, <c>torch:cpu</c>, <c>cuda:0</c>, ...</summary>
    public abstract string Device { get; }

    /// <summary>Whether device tensors are the host tensors themselves (no transfers; <see cref="PushValues"/> and <see cref="PullGradients"/> do nothing).</summary>
    public abstract bool SharesHostMemory { get; }

    /// <summary>
    /// How many independent inference batches <see cref="RunBatches"/> runs at once when it has enough of them: one per
    /// thread on the managed engine; 1 on libtorch, which splits each operation across its own threads.
    /// </summary>
    public abstract int ConcurrentBatches { get; }

    /// <summary>
    /// Runs <paramref name="runBatch"/> once for every batch in <c>[0, count)</c> of independent inference work, with
    /// this backend's threads in effect, for the host work the body does too (such as pooling). On the managed engine
    /// the batches run data-parallel, each on one thread, when there are
    /// <see cref="Parallelism.DataParallelItemsPerThread"/> per thread, else one after another with the operations
    /// splitting each; on libtorch one after another. Returns when all are done; after a batch throws, batches not yet
    /// started are skipped and the first exception is rethrown.
    /// </summary>
    /// <param name="count">Number of batches.</param>
    /// <param name="runBatch">Runs one batch, given its index; called from several threads at once.</param>
    public abstract void RunBatches(int count, Action<int> runBatch);

    /// <summary>A new activation slot.</summary>
    public abstract DeviceBuffer CreateBuffer();

    /// <summary>Binds a parameter's host values and gradient (same shape) to device tensors (a copy of the values when the device is not the host).</summary>
    public abstract DeviceParameter Bind(Tensor value, Tensor gradient);

    /// <summary><see cref="Bind(Tensor, Tensor)"/> for a parameter's values and gradient.</summary>
    public DeviceParameter Bind(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return Bind(parameter.Value, parameter.Gradient);
    }

    /// <summary>A fixed table (no gradient) on the device: <paramref name="value"/> itself on the managed engine, else a copy.</summary>
    public abstract DeviceTensor Constant(Tensor value);

    /// <summary>Copies the host values of <paramref name="parameters"/> to the device (after a load or an optimizer step).</summary>
    public abstract void PushValues(IEnumerable<DeviceParameter> parameters);

    /// <summary>Adds the device gradients of <paramref name="parameters"/> into their host gradients and zeroes the device ones.</summary>
    public abstract void PullGradients(IEnumerable<DeviceParameter> parameters);

    /// <summary>Copies host <paramref name="values"/> (as many as the tensor holds) into <paramref name="destination"/>.</summary>
    public abstract void Upload(ReadOnlySpan<float> values, DeviceTensor destination);

    /// <summary>Copies <paramref name="source"/> into host <paramref name="destination"/> (as many elements).</summary>
    public abstract void Download(DeviceTensor source, Span<float> destination);

    /// <summary>
    /// A weight (O, C) prepared for repeated inference products in <paramref name="precision"/> (a snapshot of its
    /// values): packed or quantised on the managed engine. <see cref="Linear"/> takes it as its weight.
    /// </summary>
    /// <exception cref="NotSupportedException">The backend does not offer <paramref name="precision"/>.</exception>
    public abstract DeviceTensor PrepareWeight(DeviceParameter weight, Precision precision);

    /// <summary>Copies every element of <paramref name="source"/> into <paramref name="destination"/> from its element <paramref name="offset"/> (row-major).</summary>
    public abstract void CopyInto(DeviceTensor source, DeviceTensor destination, int offset);

    /// <summary>Sets every element of <paramref name="tensor"/> to <paramref name="value"/>.</summary>
    public abstract void Fill(DeviceTensor tensor, float value);

    /// <summary>y (N, O) = x (N, C; any shape of N·C elements) · wᵀ (w (O, C), or prepared) + bias (O, or null).</summary>
    public abstract void Linear(DeviceTensor x, DeviceTensor weight, DeviceTensor? bias, DeviceTensor y);

    /// <summary>dx (N, C) = dy · w (skipped when null; x may have any shape of N·C elements); dWeight (O, C) += dyᵀ · x; dBias (O) += Σ_rows dy (when not null).</summary>
    public abstract void LinearBackward(
        DeviceTensor dy, DeviceTensor x, DeviceTensor weight, DeviceTensor? dx, DeviceTensor dWeight, DeviceTensor? dBias);

    /// <summary>pre (N, O) += bias, then act = f(pre); <paramref name="act"/> may be <paramref name="pre"/> (then pre is not kept).</summary>
    public abstract void BiasActivation(ActivationKind kind, DeviceTensor bias, DeviceTensor pre, DeviceTensor act);

    /// <summary>dPre = dAct ⊙ f′(pre) (dPre may be dAct); dBias += Σ_rows dPre.</summary>
    public abstract void BiasActivationBackward(ActivationKind kind, DeviceTensor dAct, DeviceTensor pre, DeviceTensor dPre, DeviceTensor dBias);

    /// <summary>y (N, C) = LayerNorm(x) · γ + β; with <paramref name="mean"/> and <paramref name="rstd"/> (N) it keeps the row statistics.</summary>
    public abstract void LayerNorm(
        DeviceTensor x, DeviceTensor gamma, DeviceTensor beta, DeviceTensor y, DeviceTensor? mean, DeviceTensor? rstd, float eps);

    /// <summary>Inference fusion: y (N, C) = LayerNorm(x + bias + residual) · γ + β, nothing kept.</summary>
    public abstract void LayerNormResidual(
        DeviceTensor x, DeviceTensor bias, DeviceTensor residual, DeviceTensor gamma, DeviceTensor beta, DeviceTensor y, float eps);

    /// <summary>Backward of <see cref="LayerNorm"/>: dx (N, C) (aliasing neither dy nor x); dGamma, dBeta (C) +=.</summary>
    public abstract void LayerNormBackward(
        DeviceTensor dy, DeviceTensor x, DeviceTensor gamma, DeviceTensor mean, DeviceTensor rstd,
        DeviceTensor dx, DeviceTensor dGamma, DeviceTensor dBeta);

    /// <summary>y (N, C) = dropout(x + bias) + residual with stream <paramref name="key"/> (p = 0: none); y may be x or residual.</summary>
    public abstract void BiasDropoutResidual(DeviceTensor x, DeviceTensor bias, DeviceTensor residual, DeviceTensor y, float p, ulong key);

    /// <summary>dx = dropout′(dy) with the forward's mask; dBias (C) += Σ_rows dx. The residual's gradient is dy itself.</summary>
    public abstract void BiasDropoutResidualBackward(DeviceTensor dy, DeviceTensor dx, DeviceTensor dBias, float p, ulong key);

    /// <summary>y = dropout(x) with stream <paramref name="key"/> (y may be x); its backward is the same call on gradients.</summary>
    public abstract void Dropout(DeviceTensor x, DeviceTensor y, float p, ulong key);

    /// <summary>y = a + b elementwise over tensors of the same element count (shapes may differ); y may be either.</summary>
    public abstract void Add(DeviceTensor a, DeviceTensor b, DeviceTensor y);

    /// <summary>
    /// Multi-head attention from packed projections qkv (B·T, 3C) into context (B·T, C); <paramref name="mask"/>
    /// (B, T) 1 for real tokens, 0 for padding, or null. Training passes <paramref name="probabilities"/> (B, H, T, T),
    /// and <paramref name="dropped"/> when attention dropout is active, for the backward pass; inference passes null
    /// and <paramref name="scratch"/> for what the backend needs.
    /// </summary>
    public abstract void Attention(
        DeviceTensor qkv, DeviceTensor? mask, DeviceTensor context, AttentionShape shape, AttentionOptions options,
        DeviceTensor? probabilities, DeviceTensor? dropped, DeviceBuffer scratch);

    /// <summary>dQkv (B·T, 3C) from dContext (B·T, C), the forward's qkv, probabilities and dropped ones; scores (B, H, T, T) is overwritten.</summary>
    public abstract void AttentionBackward(
        DeviceTensor dContext, DeviceTensor qkv, DeviceTensor probabilities, DeviceTensor? dropped, DeviceTensor scores,
        DeviceTensor dQkv, AttentionShape shape, AttentionOptions options);

    /// <summary>y (N, C) = table[ids[i]] for each id (table (V, C)).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table.</exception>
    public abstract void Embedding(ReadOnlySpan<int> ids, DeviceTensor table, DeviceTensor y);

    /// <summary>dTable[ids[i]] += dy[i], except row <paramref name="paddingRow"/> (PyTorch's <c>padding_idx</c>) when given.</summary>
    public abstract void EmbeddingBackward(ReadOnlySpan<int> ids, DeviceTensor dy, DeviceTensor dTable, int? paddingRow);

    /// <summary>pooled (B, C) = hidden (B, T, C)[:, 0].</summary>
    public abstract void FirstToken(DeviceTensor hidden, DeviceTensor pooled);

    /// <summary>dHidden (B, T, C)[:, 0] += dPooled (B, C).</summary>
    public abstract void FirstTokenBackward(DeviceTensor dPooled, DeviceTensor dHidden);

    /// <summary>y (N, O) = x (N, C; any shape of N·C elements) · w (C, O: Hugging Face's Conv1D layout, the transpose of <see cref="Linear"/>'s) + bias (O, or null).</summary>
    public abstract void Conv1D(DeviceTensor x, DeviceTensor weight, DeviceTensor? bias, DeviceTensor y);

    /// <summary>Backward of <see cref="Conv1D"/>: dx (N, C) = dy · wᵀ (skipped when null); dWeight (C, O) += xᵀ · dy; dBias (O) += Σ_rows dy (when not null).</summary>
    public abstract void Conv1DBackward(
        DeviceTensor dy, DeviceTensor x, DeviceTensor weight, DeviceTensor? dx, DeviceTensor dWeight, DeviceTensor? dBias);

    /// <summary>
    /// A weight stored (C, O) in Conv1D layout prepared, as <see cref="PrepareWeight"/> prepares an (O, C) one, for
    /// <see cref="Linear"/>: the layout is resolved here, once, so the prepared products are <see cref="Linear"/>'s.
    /// </summary>
    /// <exception cref="NotSupportedException">The backend does not offer <paramref name="precision"/>.</exception>
    public abstract DeviceTensor PrepareConv1DWeight(DeviceParameter weight, Precision precision);

    /// <summary>y (R, C) = rows <paramref name="rows"/> of x (any shape, seen as rows of its last dimension C).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A row is outside x.</exception>
    public abstract void GatherRows(DeviceTensor x, ReadOnlySpan<int> rows, DeviceTensor y);

    /// <summary>Backward of <see cref="GatherRows"/>: dx (seen as rows of C)[rows[i]] += dy[i].</summary>
    public abstract void GatherRowsBackward(DeviceTensor dy, ReadOnlySpan<int> rows, DeviceTensor dx);

    /// <summary>
    /// Writes the keys and values of Tn new tokens per sequence (columns [C, 3C) of qkv (B·Tn, 3C)) into rows
    /// [<paramref name="past"/>, past + Tn) of <paramref name="keys"/> and <paramref name="values"/> (B, capacity, C).
    /// </summary>
    public abstract void AppendKeyValues(DeviceTensor qkv, DeviceTensor keys, DeviceTensor values, AttentionShape shape, int past);

    /// <summary>
    /// Causal attention of Tn new queries (qkv (B·Tn, 3C), at positions past …) over the first past + Tn rows of the
    /// cache's <paramref name="keys"/> and <paramref name="values"/> (B, capacity, C; the new tokens' already appended)
    /// into context (B·Tn, C); <paramref name="keyMask"/> (B, capacity) 1 for real tokens, 0 for padding.
    /// <paramref name="scratch"/> is for what the backend needs.
    /// </summary>
    public abstract void CachedAttention(
        DeviceTensor qkv, DeviceTensor keys, DeviceTensor values, DeviceTensor keyMask, DeviceTensor context,
        AttentionShape shape, int past, DeviceBuffer scratch);
}
