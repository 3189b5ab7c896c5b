using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.SentenceTransformers;

/// <summary>
/// A sentence embedding model: an encoder followed by the pooling (and optional L2 normalisation) of a
/// sentence-transformers directory, or mean pooling for a plain checkpoint.
/// </summary>
public sealed class SentenceEncoder
{
    /// <summary>Combines an encoder with a module stack.</summary>
    public SentenceEncoder(BertModel encoder, SentenceTransformerConfig modules)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(modules);
        if (modules.Pooling.WordEmbeddingDimension != encoder.Config.HiddenSize)
            throw new ArgumentException(
                $"The pooling expects width {modules.Pooling.WordEmbeddingDimension}, the encoder has {encoder.Config.HiddenSize}.");
        Encoder = encoder;
        Modules = modules;
        Pooler = new SentencePooler(modules.Pooling, modules.Normalize);
    }

    /// <summary>The transformer.</summary>
    public BertModel Encoder { get; }

    /// <summary>The module stack (pooling modes, normalisation, maximum length).</summary>
    public SentenceTransformerConfig Modules { get; }

    /// <summary>The pooling step.</summary>
    public SentencePooler Pooler { get; }

    /// <summary>Width of the sentence vectors.</summary>
    public int Dimension => Modules.Pooling.SentenceEmbeddingDimension;

    /// <summary>
    /// Loads a checkpoint directory: its sentence-transformers modules when it has a <c>modules.json</c>, otherwise
    /// mean pooling without normalisation. The encoder's pooler is not built (sentence poolings do not use it).
    /// An ONNX export (an <c>.onnx</c> file path, see <see cref="Onnx.OnnxCheckpoint"/>) is the transformer, with the
    /// modules of the directory it sits in when that has a <c>modules.json</c>.
    /// </summary>
    /// <param name="directory">The model directory or <c>.onnx</c> file.</param>
    /// <param name="backend">Where the encoder computes; null for the managed engine.</param>
    /// <exception cref="InvalidDataException">A file is malformed or a tensor is missing.</exception>
    public static SentenceEncoder FromPretrained(string directory, Execution.ComputeBackend? backend = null)
    {
        var onnx = OnnxCheckpoint.IsOnnxFile(directory);
        var modulesDirectory = onnx ? Path.GetDirectoryName(Path.GetFullPath(directory))! : directory;
        var modules = SentenceTransformerConfig.IsSentenceTransformer(modulesDirectory) ? SentenceTransformerConfig.Load(modulesDirectory) : null;
        var transformerDirectory = onnx ? directory : Path.Combine(directory, modules?.TransformerPath ?? "");
        var encoder = BertModel.FromPretrained(transformerDirectory, addPoolingLayer: false, backend);
        modules ??= new SentenceTransformerConfig { Pooling = new PoolingConfig { WordEmbeddingDimension = encoder.Config.HiddenSize } };
        return new SentenceEncoder(encoder, modules);
    }

    /// <summary>Sentence vectors (B, D) for a batch, owned by the encoder until its next call.</summary>
    public Tensor Encode(EncoderBatch batch)
    {
        var hidden = Encoder.Forward(batch, training: false).LastHiddenState; // (B, T, C)
        return Pooler.Forward(hidden, batch.AttentionMask, training: false);
    }

    /// <summary>Writes the checkpoint (config, weights) and the module stack into <paramref name="directory"/>.</summary>
    public void SavePretrained(string directory)
    {
        Encoder.SavePretrained(directory);
        Modules.Save(directory);
    }
}
