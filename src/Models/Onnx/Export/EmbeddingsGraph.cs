using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// The embeddings in the graph, as <see cref="BertEmbeddings"/> computes them:
/// <c>LayerNorm(word[id] + position[p] + token_type[type])</c>. Positions are 0..T−1 (a slice of the table) for
/// BERT and DistilBERT; for RoBERTa real tokens count up from <c>pad_token_id + 1</c> and padding gets
/// <c>pad_token_id</c> (see <see cref="PositionIds"/>). A fixed sinusoidal table is written under the learned table's
/// name, <c>embeddings.position_embeddings.weight</c> (the numbers the engine uses; loaders skip it for such a model).
/// </summary>
internal static class EmbeddingsGraph
{
    private const string WordTable = "embeddings.word_embeddings.weight";
    private const string PositionTable = "embeddings.position_embeddings.weight";
    private const long SequenceDimension = 1, RowsAxis = 0, FirstRow = 0;

    /// <summary>The embedded tokens (B, T, C).</summary>
    public static string Add(OnnxGraphBuilder graph, BertModel model, EncoderInputs inputs)
    {
        using var scope = graph.Enter("embeddings");
        var (config, embeddings) = (model.Config, model.Embeddings);
        var words = graph.Node(OnnxOps.Gather, [graph.Weight(embeddings.WordEmbeddings), inputs.InputIds]); // (B, T, C)
        var table = embeddings.PositionEmbeddings is { } learned
            ? graph.Weight(learned)
            : graph.Weight(graph.NameOf(embeddings.WordEmbeddings)[..^WordTable.Length] + PositionTable,
                SinusoidalPositions.Table(config.MaxPositionEmbeddings, config.HiddenSize), config.MaxPositionEmbeddings, config.HiddenSize);
        var positions = config.Architecture == EncoderArchitecture.Roberta
            ? graph.Node(OnnxOps.Gather, [table, RobertaPositionIds(graph, config, inputs.InputIds)]) // (B, T, C)
            : FirstRows(graph, table, inputs.InputIds); // (T, C)
        var sum = graph.Node(OnnxOps.Add, [words, positions]); // (B, T, C)
        if (embeddings.TokenTypeEmbeddings is { } types)
        {
            var typeIds = inputs.TokenTypeIds ?? throw new InvalidOperationException("A model with token types needs the token_type_ids input.");
            sum = graph.Node(OnnxOps.Add, [sum, graph.Node(OnnxOps.Gather, [graph.Weight(types), typeIds])]); // (B, T, C)
        }
        return LayerNormGraph.Add(graph, sum, embeddings.NormWeight, embeddings.NormBias, (float)config.LayerNormEps); // (B, T, C)
    }

    /// <summary>Rows 0..T−1 of the position table (P, C), T read from the ids' shape: (T, C).</summary>
    private static string FirstRows(OnnxGraphBuilder graph, string table, string inputIds)
    {
        var length = graph.Node(OnnxOps.Shape, [inputIds],
            OnnxAttribute.Int(OnnxOps.Start, SequenceDimension), OnnxAttribute.Int(OnnxOps.End, SequenceDimension + 1)); // (1) = [T]
        return graph.Node(OnnxOps.Slice, [table, graph.Int64s(FirstRow), length, graph.Int64s(RowsAxis)]); // (T, C)
    }

    /// <summary>
    /// RoBERTa's position ids (B, T): <c>cumsum(real) · real + pad_token_id</c> with real = (id ≠ pad_token_id), as
    /// Hugging Face's <c>create_position_ids_from_input_ids</c>.
    /// </summary>
    private static string RobertaPositionIds(OnnxGraphBuilder graph, BertConfig config, string inputIds)
    {
        var padding = graph.Int64Scalar(config.PadTokenId);
        var isReal = graph.Node(OnnxOps.Not, [graph.Node(OnnxOps.Equal, [inputIds, padding])]); // (B, T) bool
        var real = graph.Node(OnnxOps.Cast, [isReal], OnnxAttribute.Int(OnnxOps.To, OnnxDataType.Int64)); // (B, T) 0/1
        var counted = graph.Node(OnnxOps.CumSum, [real, graph.Int64Scalar(SequenceDimension)]); // (B, T)
        return graph.Node(OnnxOps.Add, [graph.Node(OnnxOps.Mul, [counted, real]), padding]); // (B, T)
    }
}
