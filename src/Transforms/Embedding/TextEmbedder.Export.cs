using MLNet.Transformers.Models.Onnx.Export;
using MLNet.Transformers.Models.SentenceTransformers;

namespace MLNet.Transformers.Transforms;

public sealed partial class TextEmbedder
{
    /// <summary>
    /// Exports the embedder to ONNX as it runs, its <see cref="Settings"/> included: the model at
    /// <paramref name="path"/> with inputs <c>input_ids</c>, <c>attention_mask</c> and <c>token_type_ids</c> (int64,
    /// (<c>batch_size</c>, <c>sequence_length</c>), both dynamic) and outputs <c>sentence_embedding</c> (float,
    /// (<c>batch_size</c>, <see cref="Dimension"/>), pooled with <see cref="TextEmbeddingSettings.PoolingModes"/> and
    /// L2-normalised when <see cref="TextEmbeddingSettings.Normalize"/>: options that override the checkpoint's are what
    /// the graph computes) and <c>last_hidden_state</c>; beside it <c>config.json</c>, the tokenizer files and the
    /// sentence-transformers module files holding these settings (pooling, normalisation, <c>max_seq_length</c> =
    /// <see cref="TextEmbeddingSettings.MaximumTokens"/>, <c>do_lower_case</c>), so the folder is a checkpoint that
    /// loads back as this embedder. The graph embeds one token sequence: tokenize (lower-casing first when
    /// <see cref="TextEmbeddingSettings.LowercaseText"/>) and truncate as this embedder does; the sliding windows of
    /// <see cref="LongTextMode.SlidingWindow"/> are left to the caller. Files of the same names beside
    /// <paramref name="path"/> are replaced; each appears complete or not at all, the <c>.onnx</c> last.
    /// </summary>
    /// <param name="path">The model file to write; its name ends in <c>.onnx</c>. A missing folder is created.</param>
    /// <returns>The full paths of the files written, the model last.</returns>
    /// <exception cref="ArgumentException">The path does not end in <c>.onnx</c> or is a folder.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public IReadOnlyList<string> ExportOnnx(string path)
    {
        var modules = new SentenceTransformerConfig
        {
            Pooling = new PoolingConfig { WordEmbeddingDimension = _encoder.Config.HiddenSize, Modes = Settings.PoolingModes },
            Normalize = Settings.Normalize,
            MaxSeqLength = Settings.MaximumTokens,
            DoLowerCase = Settings.LowercaseText,
        };
        return OnnxExporter.ExportCheckpoint(new SentenceEncoder(_encoder, modules), path, _tokenizerFiles.Files);
    }
}
