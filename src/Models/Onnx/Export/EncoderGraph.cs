using MLNet.Transformers.Models.Encoder;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>A <see cref="BertModel"/>'s forward in the graph: embeddings, then every encoder layer, to the last hidden state.</summary>
internal static class EncoderGraph
{
    /// <summary>The last hidden state (B, T, C) of <paramref name="model"/> on the graph's inputs.</summary>
    public static string Add(OnnxGraphBuilder graph, BertModel model, EncoderInputs inputs)
    {
        var hidden = EmbeddingsGraph.Add(graph, model, inputs); // (B, T, C)
        var paddingKeys = SelfAttentionGraph.PaddingKeys(graph, inputs.AttentionMask); // (B, 1, 1, T)
        for (var i = 0; i < model.Layers.Count; i++) hidden = EncoderLayerGraph.Add(graph, model.Layers[i], i, hidden, paddingKeys); // (B, T, C)
        return hidden;
    }
}
