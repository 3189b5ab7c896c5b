using MLNet.Transformers.Models.Heads;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// A <see cref="BertForSequenceClassification"/>'s head in the graph, as its inference session runs it: the first
/// token's state, through the pooler <c>tanh(dense(·))</c> when the model has one (BERT), then the head's dense
/// layers (RoBERTa's dense + tanh + out_proj, DistilBERT's pre_classifier + relu + classifier) to the logits, and
/// their softmax.
/// </summary>
internal static class ClassifierGraph
{
    private const long TokensAxis = 1, FirstToken = 0, LastAxis = -1;

    /// <summary>Writes the <c>logits</c> and <c>probabilities</c> outputs (B, labels) for the last hidden state (B, T, C).</summary>
    public static void Add(OnnxGraphBuilder graph, BertForSequenceClassification model, string hidden)
    {
        using var scope = graph.Enter("classifier");
        var features = graph.Node(OnnxOps.Gather, [hidden, graph.Int64Scalar(FirstToken)], OnnxAttribute.Int(OnnxOps.Axis, TokensAxis)); // (B, C)
        if (model.Encoder.Pooler is { } pooler) features = DenseGraph.Add(graph, features, pooler.Dense); // (B, C)
        foreach (var layer in model.Head.Layers) features = DenseGraph.Add(graph, features, layer); // (B, C), the last (B, labels)
        var logits = graph.Node(OnnxOps.Identity, [features], OnnxExportNames.Logits); // (B, labels)
        graph.Node(OnnxOps.Softmax, [logits], OnnxExportNames.Probabilities, OnnxAttribute.Int(OnnxOps.Axis, LastAxis)); // (B, labels)
    }
}
