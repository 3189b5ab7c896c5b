using MLNet.Transformers.Models.SentenceTransformers;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Pooling;

/// <summary>
/// Turns token states (B, T, C) into sentence vectors (B, modes·C): each pooling of a sentence-transformers
/// <see cref="PoolingConfig"/> concatenated in its order, then optionally scaled to unit L2 norm.
/// </summary>
public sealed class SentencePooler
{
    private readonly TensorBuffer _pooled = new(), _output = new(), _part = new(), _dPart = new(), _dPooled = new(), _dHidden = new();
    private readonly List<int[]> _argMax = [];
    private float[] _mask = [], _maskValues = [];

    /// <summary>Creates a pooler for the given modes, normalising when <paramref name="normalize"/>.</summary>
    public SentencePooler(PoolingConfig config, bool normalize)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Normalize = normalize;
    }

    /// <summary>The poolings applied.</summary>
    public PoolingConfig Config { get; }

    /// <summary>Whether the concatenated vector is scaled to unit L2 norm.</summary>
    public bool Normalize { get; }

    /// <summary>Sentence vectors (B, D) for hidden states (B, T, C) and the (B, T) attention mask; owned by the pooler.</summary>
    /// <exception cref="ArgumentException">The state width differs from the configuration's, or a sequence is all padding.</exception>
    public Tensor Forward(Tensor hidden, int[] attentionMask, bool training)
    {
        var (b, t, c) = (hidden.Size(0), hidden.Size(1), hidden.Size(2));
        if (c != Config.WordEmbeddingDimension)
            throw new ArgumentException($"Token states have width {c}, the pooling config expects {Config.WordEmbeddingDimension}.");
        var modes = Config.Modes;
        var pooled = _pooled.Get(b, modes.Count * c); // (B, M·C)
        var part = _part.Get(b, c); // (B, C)
        var mask = MaskValues(attentionMask, b, t); // (B, T)
        for (var m = 0; m < modes.Count; m++)
        {
            PoolingKernels.Forward(modes[m], hidden.Span, mask, part.Span, ArgMax(m, b * c), b, t);
            for (var row = 0; row < b; row++)
                part.Span.Slice(row * c, c).CopyTo(pooled.Span.Slice(row * modes.Count * c + m * c, c));
        }
        _mask = training ? mask : [];
        if (!Normalize) return pooled;
        var output = _output.Get(b, modes.Count * c);
        L2Normalize.Forward(pooled.Span, output.Span, b);
        return output;
    }

    /// <summary>Gradient of the token states (B, T, C) for the gradient of the sentence vectors (B, D); owned by the pooler.</summary>
    public Tensor Backward(Tensor dOutput, int tokens)
    {
        var modes = Config.Modes;
        var (b, c) = (dOutput.Size(0), Config.WordEmbeddingDimension);
        var dPooled = dOutput;
        if (Normalize)
        {
            dPooled = _dPooled.Get(b, modes.Count * c);
            L2Normalize.Backward(dOutput.Span, _pooled.Get(b, modes.Count * c).Span, dPooled.Span, b);
        }
        var dHidden = _dHidden.Get(b, tokens, c);
        dHidden.Fill(0f);
        var dPart = _dPart.Get(b, c);
        for (var m = 0; m < modes.Count; m++)
        {
            for (var row = 0; row < b; row++)
                dPooled.Span.Slice(row * modes.Count * c + m * c, c).CopyTo(dPart.Span.Slice(row * c, c));
            PoolingKernels.Backward(modes[m], dPart.Span, _mask, ArgMax(m, b * c), dHidden.Span, b, tokens);
        }
        return dHidden;
    }

    /// <summary>The 0/1 attention mask (B, T) as the engine's float mask (a reused buffer); every sequence needs a real token.</summary>
    private float[] MaskValues(int[] attentionMask, int batch, int tokens)
    {
        if (attentionMask.Length != batch * tokens)
            throw new ArgumentException($"The attention mask has {attentionMask.Length} values; expected {batch} × {tokens}.");
        if (_maskValues.Length != attentionMask.Length) _maskValues = new float[attentionMask.Length];
        for (var row = 0; row < batch; row++)
        {
            var real = 0;
            for (var t = 0; t < tokens; t++)
            {
                var isReal = attentionMask[row * tokens + t] != 0;
                _maskValues[row * tokens + t] = isReal ? 1f : 0f;
                if (isReal) real++;
            }
            if (real == 0) throw new ArgumentException($"Sequence {row} has no real token to pool (its attention mask is all zero).");
        }
        return _maskValues;
    }

    /// <summary>The winning tokens (B, C) of one max pooling, in a buffer reused across batches.</summary>
    private Span<int> ArgMax(int mode, int length)
    {
        while (_argMax.Count <= mode) _argMax.Add([]);
        if (_argMax[mode].Length < length) _argMax[mode] = new int[length];
        return _argMax[mode].AsSpan(0, length);
    }
}
