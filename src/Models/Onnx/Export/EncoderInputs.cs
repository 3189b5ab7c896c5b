using MLNet.Transformers.Models.Configuration;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// The graph inputs of an exported encoder, named as Hugging Face's exports name them: int64
/// (<c>batch_size</c>, <c>sequence_length</c>) <c>input_ids</c>, <c>attention_mask</c> and, for a model with token
/// types, <c>token_type_ids</c>.
/// </summary>
/// <param name="InputIds">Token ids (B, T).</param>
/// <param name="AttentionMask">1 real, 0 padding (B, T).</param>
/// <param name="TokenTypeIds">Segment ids (B, T), or null for a model without token types (DistilBERT).</param>
internal sealed record EncoderInputs(string InputIds, string AttentionMask, string? TokenTypeIds)
{
    /// <summary>Declares the inputs <paramref name="config"/> needs.</summary>
    public static EncoderInputs Declare(OnnxGraphBuilder graph, BertConfig config)
    {
        OnnxDim[] shape = [OnnxExportNames.BatchAxis, OnnxExportNames.SequenceAxis];
        var ids = graph.Input(OnnxExportNames.InputIds, OnnxDataType.Int64, shape);
        var mask = graph.Input(OnnxExportNames.AttentionMask, OnnxDataType.Int64, shape);
        var types = config.TypeVocabSize > 0 ? graph.Input(OnnxExportNames.TokenTypeIds, OnnxDataType.Int64, shape) : null;
        return new EncoderInputs(ids, mask, types);
    }
}
