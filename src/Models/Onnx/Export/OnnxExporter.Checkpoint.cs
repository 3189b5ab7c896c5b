using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.SentenceTransformers;

namespace MLNet.Transformers.Models.Onnx.Export;

public static partial class OnnxExporter
{
    /// <summary>
    /// Writes a classifier as a complete ONNX checkpoint: the model at <paramref name="path"/> (as
    /// <see cref="Export(BertForSequenceClassification, string)"/>) and beside it its <c>config.json</c> (the class
    /// names as <c>id2label</c>) and the tokenizer files, so that the folder loads back as a checkpoint
    /// (<c>BertForSequenceClassification.FromPretrained(path)</c>, <see cref="OnnxCheckpoint.FindTokenizer"/>) and
    /// any ONNX runtime has what it needs to feed the graph. Files of the same names beside it are replaced. Every
    /// file appears complete or not at all, the <c>.onnx</c> last; a missing folder is created.
    /// </summary>
    /// <param name="model">The classifier.</param>
    /// <param name="path">The model file to write; its name ends in <c>.onnx</c>.</param>
    /// <param name="tokenizerFiles">The tokenizer's files by name (<c>tokenizer.json</c>, or <c>vocab.txt</c> and its companions).</param>
    /// <returns>The full paths of the files written, the model last.</returns>
    /// <exception cref="ArgumentException">The path does not end in <c>.onnx</c> or is a folder, or a tokenizer file name is not a plain file name.</exception>
    /// <exception cref="NotSupportedException">The model uses something ONNX export does not express.</exception>
    /// <exception cref="InvalidOperationException">The weights exceed the 2 GB one ONNX file holds.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static IReadOnlyList<string> ExportCheckpoint(BertForSequenceClassification model, string path, IReadOnlyDictionary<string, byte[]> tokenizerFiles)
    {
        var proto = Build(model);
        return OnnxCheckpointFolder.Write(path, proto, folder => WriteConfigAndTokenizer(folder, model.Config, path, tokenizerFiles));
    }

    /// <summary>
    /// Writes a sentence embedder as a complete ONNX checkpoint: the model at <paramref name="path"/> (as
    /// <see cref="Export(SentenceEncoder, string)"/>: pooled and normalised as <see cref="SentenceEncoder.Modules"/>
    /// say) and beside it its <c>config.json</c>, the tokenizer files and the sentence-transformers module files
    /// (<c>modules.json</c>, <c>sentence_bert_config.json</c>, <c>1_Pooling/config.json</c>), so that
    /// <c>SentenceEncoder.FromPretrained(path)</c> loads the same embedder back. Files of the same names beside it are
    /// replaced. Every file appears complete or not at all, the <c>.onnx</c> last; a missing folder is created.
    /// </summary>
    /// <param name="encoder">The embedder.</param>
    /// <param name="path">The model file to write; its name ends in <c>.onnx</c>.</param>
    /// <param name="tokenizerFiles">The tokenizer's files by name (<c>tokenizer.json</c>, or <c>vocab.txt</c> and its companions).</param>
    /// <returns>The full paths of the files written, the model last.</returns>
    /// <exception cref="ArgumentException">The path does not end in <c>.onnx</c> or is a folder, or a tokenizer file name is not a plain file name.</exception>
    /// <exception cref="NotSupportedException">The model uses something ONNX export does not express.</exception>
    /// <exception cref="InvalidOperationException">The weights exceed the 2 GB one ONNX file holds.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static IReadOnlyList<string> ExportCheckpoint(SentenceEncoder encoder, string path, IReadOnlyDictionary<string, byte[]> tokenizerFiles)
    {
        var proto = Build(encoder);
        return OnnxCheckpointFolder.Write(path, proto, folder =>
        {
            WriteConfigAndTokenizer(folder, encoder.Encoder.Config, path, tokenizerFiles);
            encoder.Modules.Save(folder);
        });
    }

    private static void WriteConfigAndTokenizer(string folder, BertConfig config, string path, IReadOnlyDictionary<string, byte[]> tokenizerFiles)
    {
        string[] reserved = [BertConfig.FileName, Path.GetFileName(path), SentenceTransformerConfig.ModulesFile, SentenceTransformerConfig.SentenceBertConfigFile];
        OnnxCheckpointFolder.WriteTokenizerFiles(folder, tokenizerFiles, reserved);
        config.Save(Path.Combine(folder, BertConfig.FileName));
    }
}
