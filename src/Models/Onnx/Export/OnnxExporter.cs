using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Onnx.Proto;
using MLNet.Transformers.Models.SentenceTransformers;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// Exports a classifier or a sentence embedder to ONNX, so that a model trained here runs wherever ONNX Runtime runs.
/// The graph is written from the model's configuration and current weights (standard operators of opset 17, inference:
/// no dropout) and computes what the engine computes. Weights are initializers under their Hugging Face names in
/// checkpoint layout, so the file also loads back as a checkpoint (<see cref="OnnxTensorSource"/>). Inputs are int64
/// <c>input_ids</c>, <c>attention_mask</c> and, for models with token types, <c>token_type_ids</c>, of shape
/// (<c>batch_size</c>, <c>sequence_length</c>), both dimensions dynamic (<see cref="OnnxExportNames"/>). The model's
/// <c>config.json</c> travels in the file's metadata (<see cref="OnnxExportNames.ConfigMetadataKey"/>).
/// </summary>
public static partial class OnnxExporter
{
    /// <summary>
    /// Writes a classifier to <paramref name="path"/>: outputs <c>logits</c> and <c>probabilities</c> (their softmax),
    /// float (<c>batch_size</c>, labels). The file appears complete or not at all (see <see cref="Export(SentenceEncoder, string)"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">The model uses something ONNX export does not express.</exception>
    /// <exception cref="InvalidOperationException">The weights exceed the 2 GB one ONNX file holds.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Export(BertForSequenceClassification model, string path) => OnnxModelFile.Write(Build(model), path);

    /// <summary>Writes a classifier to <paramref name="stream"/> (left open); as <see cref="Export(BertForSequenceClassification, string)"/>.</summary>
    /// <exception cref="NotSupportedException">The model uses something ONNX export does not express.</exception>
    /// <exception cref="InvalidOperationException">The weights exceed the 2 GB one ONNX file holds.</exception>
    public static void Export(BertForSequenceClassification model, Stream stream) => OnnxModelFile.Write(Build(model), stream);

    /// <summary>
    /// Writes a sentence embedder to <paramref name="path"/>: outputs <c>sentence_embedding</c>, float
    /// (<c>batch_size</c>, dimension), pooled as its sentence-transformers config says and L2-normalised when it has a
    /// Normalize module, and <c>last_hidden_state</c>, float (<c>batch_size</c>, <c>sequence_length</c>, hidden). The
    /// file is written to a temporary file beside the target and renamed over it once complete, so a failed export
    /// leaves no file (or the previous one), never a half-written one; a missing folder is created.
    /// </summary>
    /// <exception cref="NotSupportedException">The model uses something ONNX export does not express.</exception>
    /// <exception cref="InvalidOperationException">The weights exceed the 2 GB one ONNX file holds.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Export(SentenceEncoder encoder, string path) => OnnxModelFile.Write(Build(encoder), path);

    /// <summary>Writes a sentence embedder to <paramref name="stream"/> (left open); as <see cref="Export(SentenceEncoder, string)"/>.</summary>
    /// <exception cref="NotSupportedException">The model uses something ONNX export does not express.</exception>
    /// <exception cref="InvalidOperationException">The weights exceed the 2 GB one ONNX file holds.</exception>
    public static void Export(SentenceEncoder encoder, Stream stream) => OnnxModelFile.Write(Build(encoder), stream);

    /// <summary>The classifier's ONNX model, in memory.</summary>
    internal static ModelProto Build(BertForSequenceClassification model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var config = model.Config;
        var graph = new OnnxGraphBuilder(nameof(BertForSequenceClassification), model.Parameters);
        var inputs = EncoderInputs.Declare(graph, config);
        var hidden = EncoderGraph.Add(graph, model.Encoder, inputs); // (B, T, C)
        ClassifierGraph.Add(graph, model, hidden);
        OnnxDim[] scores = [OnnxExportNames.BatchAxis, config.Labels.Count];
        graph.Output(OnnxExportNames.Logits, OnnxDataType.Float, scores);
        graph.Output(OnnxExportNames.Probabilities, OnnxDataType.Float, scores);
        var description = $"{config.Architecture} sequence classifier ({config.NumHiddenLayers} layers, hidden {config.HiddenSize}, "
            + $"labels {string.Join(", ", config.Labels)}): logits and probabilities (batch_size, {config.Labels.Count}).";
        return OnnxModelFile.Create(graph.Graph, description, Metadata(model.Config));
    }

    /// <summary>The embedder's ONNX model, in memory.</summary>
    internal static ModelProto Build(SentenceEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var config = encoder.Encoder.Config;
        var graph = new OnnxGraphBuilder(nameof(SentenceEncoder), encoder.Encoder.Parameters);
        var inputs = EncoderInputs.Declare(graph, config);
        var hidden = EncoderGraph.Add(graph, encoder.Encoder, inputs); // (B, T, C)
        graph.Node(OnnxOps.Identity, [hidden], OnnxExportNames.LastHiddenState);
        var pooled = SentencePoolingGraph.Add(graph, encoder.Pooler, hidden, inputs.AttentionMask); // (B, D)
        graph.Node(OnnxOps.Identity, [pooled], OnnxExportNames.SentenceEmbedding);
        graph.Output(OnnxExportNames.SentenceEmbedding, OnnxDataType.Float, OnnxExportNames.BatchAxis, encoder.Dimension);
        graph.Output(OnnxExportNames.LastHiddenState, OnnxDataType.Float,
            OnnxExportNames.BatchAxis, OnnxExportNames.SequenceAxis, config.HiddenSize);
        var modes = string.Join("+", encoder.Modules.Pooling.Modes).ToLowerInvariant();
        var description = $"{config.Architecture} sentence embedder ({config.NumHiddenLayers} layers, hidden {config.HiddenSize}, "
            + $"{modes} pooling{(encoder.Modules.Normalize ? ", normalised" : "")}): sentence_embedding (batch_size, {encoder.Dimension}).";
        return OnnxModelFile.Create(graph.Graph, description, Metadata(config));
    }

    private static Dictionary<string, string> Metadata(Configuration.BertConfig config) =>
        new(StringComparer.Ordinal) { [OnnxExportNames.ConfigMetadataKey] = config.ToJson() };
}
