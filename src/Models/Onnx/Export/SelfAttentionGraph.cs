using MLNet.Transformers.Models.Layers;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// Multi-head self-attention in the graph, as the engine computes it: <c>softmax(Q·Kᵀ/√D)·V</c> per head, where a
/// padding key's score is replaced by the lowest float (Hugging Face adds <c>finfo(float32).min</c>; the softmax
/// gives both probability 0), and the heads concatenated again. The heads are split with a Reshape to
/// (batch, sequence, heads, head_dim), whose constant last two dimensions the ONNX reader reads the head count from.
/// </summary>
internal static class SelfAttentionGraph
{
    /// <summary>The score a padding key gets, as the engine's attention softmax (<c>AttentionSoftmax.Masked</c>).</summary>
    private const float MaskedScore = float.MinValue;

    /// <summary>Reshape's "copy this dimension from the input" (allowzero = 0, the default).</summary>
    private const long CopyDimension = 0;

    private const long LastAxis = -1;

    /// <summary>The attention mask's value at padding tokens.</summary>
    private const long PaddingMaskValue = 0;

    /// <summary>The axes a (B, T) key mask gains to broadcast over heads and queries: (B, 1, 1, T).</summary>
    private static readonly long[] HeadsAndQueriesAxes = [1, 2];
    private static readonly long[] HeadsFirst = [0, 2, 1, 3], HeadsFirstKeysTransposed = [0, 2, 3, 1], TokensFirst = [0, 2, 1, 3];

    /// <summary>
    /// Where padding keys are: attention_mask (B, T) as (B, 1, 1, T) booleans, true at padding. Computed once and
    /// shared by every layer.
    /// </summary>
    public static string PaddingKeys(OnnxGraphBuilder graph, string attentionMask)
    {
        using var scope = graph.Enter("attention_mask");
        var keys = graph.Node(OnnxOps.Unsqueeze, [attentionMask, graph.Int64s(HeadsAndQueriesAxes)]); // (B, 1, 1, T)
        return graph.Node(OnnxOps.Equal, [keys, graph.Int64Scalar(PaddingMaskValue)]); // (B, 1, 1, T) bool
    }

    /// <summary>The attention context (B, T, C) of hidden states x (B, T, C), before the output dense.</summary>
    public static string Add(OnnxGraphBuilder graph, EncoderLayerParameters p, EncoderLayerOptions options, string x, string paddingKeys)
    {
        using var scope = graph.Enter("attention");
        var split = graph.Int64s(CopyDimension, CopyDimension, options.AttentionHeads, options.HeadSize);
        var query = Heads(graph, x, p, "query", split, HeadsFirst); // (B, H, T, D)
        var keyT = Heads(graph, x, p, "key", split, HeadsFirstKeysTransposed); // (B, H, D, T)
        var value = Heads(graph, x, p, "value", split, HeadsFirst); // (B, H, T, D)
        var scores = graph.Node(OnnxOps.MatMul, [query, keyT]); // (B, H, T, T)
        var scaled = graph.Node(OnnxOps.Mul, [scores, graph.FloatScalar(1f / MathF.Sqrt(options.HeadSize))]); // (B, H, T, T)
        var masked = graph.Node(OnnxOps.Where, [paddingKeys, graph.FloatScalar(MaskedScore), scaled]); // (B, H, T, T)
        var probabilities = graph.Node(OnnxOps.Softmax, [masked], OnnxAttribute.Int(OnnxOps.Axis, LastAxis)); // (B, H, T, T)
        var context = graph.Node(OnnxOps.MatMul, [probabilities, value]); // (B, H, T, D)
        var tokensFirst = graph.Node(OnnxOps.Transpose, [context], OnnxAttribute.Ints(OnnxOps.Perm, TokensFirst)); // (B, T, H, D)
        return graph.Node(OnnxOps.Reshape, [tokensFirst, graph.Int64s(CopyDimension, CopyDimension, options.HiddenSize)]); // (B, T, C)
    }

    /// <summary>One projection of x (B, T, C) split into heads (B, T, H, D) and permuted by <paramref name="perm"/>.</summary>
    private static string Heads(OnnxGraphBuilder graph, string x, EncoderLayerParameters p, string projection, string split, long[] perm)
    {
        var projected = DenseGraph.Add(graph, x, p[$"attention.self.{projection}.weight"], p[$"attention.self.{projection}.bias"]); // (B, T, C)
        var heads = graph.Node(OnnxOps.Reshape, [projected, split]); // (B, T, H, D)
        return graph.Node(OnnxOps.Transpose, [heads], OnnxAttribute.Ints(OnnxOps.Perm, perm));
    }
}
