using System.Globalization;
using System.Text.RegularExpressions;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Onnx;

/// <summary>
/// A <see cref="BertConfig"/> read off an ONNX export that came without its <c>config.json</c>: sizes from the
/// weights' shapes (vocabulary, hidden, positions and token types from the embedding tables; intermediate from the
/// first feed-forward weight; layers from the highest layer index), heads from the attention Reshape, the LayerNorm
/// epsilon from the graph (BERT's default when it shows none), and exact GELU when the graph computes Erf. What the
/// graph cannot show (dropout, initializer range, labels) keeps BERT's defaults.
/// </summary>
internal static partial class OnnxConfigInference
{
    private const int RowsAxis = 0, ColumnsAxis = 1;
    private const string DistilBertLayers = "transformer.layer.";
    private const string WordEmbeddings = "embeddings.word_embeddings.weight";
    private const string PositionEmbeddings = "embeddings.position_embeddings.weight";
    private const string TokenTypeEmbeddings = "embeddings.token_type_embeddings.weight";
    private const string IntermediateWeight = "intermediate.dense.weight";

    /// <exception cref="InvalidDataException">A size cannot be read off the graph; the message says which and why.</exception>
    public static BertConfig Infer(OnnxTensorSource source)
    {
        var graph = source.Graph;
        if (graph.NodesOf(OnnxOps.CumSum).Any())
            throw new InvalidDataException(
                $"{source.Location}: the graph computes position ids from the input ids (RoBERTa style), which its weights cannot tell from BERT's; put the model's config.json beside it.");
        var architecture = source.Names.Any(n => n.Contains(DistilBertLayers, StringComparison.Ordinal))
            ? EncoderArchitecture.DistilBert
            : EncoderArchitecture.Bert;
        var prefix = PretrainedWeights.BasePrefix(architecture);
        var stored = source.Names.ToDictionary(n => CheckpointNames.Canonical(n, prefix), StringComparer.Ordinal);
        var word = Shape(WordEmbeddings, "vocab_size and hidden_size");
        var hidden = word[ColumnsAxis];
        var defaults = new BertConfig();
        var config = new BertConfig
        {
            Architecture = architecture,
            VocabSize = word[RowsAxis],
            HiddenSize = hidden,
            NumHiddenLayers = LayerCount(source),
            NumAttentionHeads = OnnxAttentionHeads.Infer(graph, hidden),
            IntermediateSize = Shape(LayerParameterNames.For(architecture, 0, IntermediateWeight), "intermediate_size")[RowsAxis],
            MaxPositionEmbeddings = Shape(PositionEmbeddings, "max_position_embeddings")[RowsAxis],
            TypeVocabSize = stored.ContainsKey(TokenTypeEmbeddings) ? Shape(TokenTypeEmbeddings, "type_vocab_size")[RowsAxis] : 0,
            LayerNormEps = OnnxLayerNormEpsilon.Infer(graph) ?? defaults.LayerNormEps,
            HiddenAct = Activation(source),
        };
        config.Validate(source.Location);
        return config;

        int[] Shape(string name, string field) => stored.TryGetValue(name, out var storedName)
            ? [.. source.Describe(storedName).Shape.Select(d => checked((int)d))]
            : throw new InvalidDataException(
                $"{source.Location}: no weight '{name}' to infer {field} from; put the model's config.json beside it.");
    }

    private static int LayerCount(OnnxTensorSource source)
    {
        var indices = source.Names.Select(n => LayerIndex().Match(n)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        return indices.Count > 0
            ? indices.Max() + 1
            : throw new InvalidDataException($"{source.Location}: no encoder layer weights ('encoder.layer.N.…') found.");
    }

    private static ActivationKind Activation(OnnxTensorSource source) =>
        source.Graph.NodesOf(OnnxOps.Erf).Any() || source.Graph.NodesOf(OnnxOps.Gelu).Any()
            ? ActivationKind.Gelu
            : throw new InvalidDataException(
                $"{source.Location}: the graph computes no exact GELU (no Erf or Gelu node), so the feed-forward activation cannot be inferred; put the model's config.json beside it.");

    [GeneratedRegex(@"(?:^|\.)(?:encoder|transformer)\.layer\.(\d+)\.")]
    private static partial Regex LayerIndex();
}
