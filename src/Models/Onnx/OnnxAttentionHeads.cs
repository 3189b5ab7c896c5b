namespace MLNet.Transformers.Models.Onnx;

/// <summary>
/// Finds the number of attention heads in a BERT-family graph: self-attention splits the hidden states with a
/// Reshape to (batch, sequence, heads, head_dim), whose last two target dimensions are constants multiplying to the
/// hidden size.
/// </summary>
internal static class OnnxAttentionHeads
{
    private const int SplitRank = 4;
    private const int HeadsAxis = 2, HeadSizeAxis = 3;

    /// <exception cref="InvalidDataException">No such Reshape is found, or two disagree.</exception>
    public static int Infer(OnnxGraph graph, int hiddenSize)
    {
        var counts = graph.NodesOf(OnnxOps.Reshape)
            .Select(node => OnnxConstants.PartialInts(graph, node.Input[1]))
            .Where(target => target is { Length: SplitRank } && target[HeadsAxis] > 0 && target[HeadSizeAxis] > 0
                && target[HeadsAxis] * target[HeadSizeAxis] == hiddenSize)
            .Select(target => (int)target![HeadsAxis]!.Value)
            .Distinct().Order().ToList();
        return counts.Count switch
        {
            1 => counts[0],
            0 => throw new InvalidDataException(
                $"{graph.Location}: no Reshape of the hidden states to (batch, sequence, heads, head_dim) with heads × head_dim = {hiddenSize}, so num_attention_heads cannot be inferred; put the model's config.json beside it."),
            _ => throw new InvalidDataException(
                $"{graph.Location}: the attention Reshapes disagree on the number of heads ({string.Join(", ", counts)}); put the model's config.json beside it."),
        };
    }
}
