using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Onnx;

namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>
/// A checkpoint's configuration and weights opened together, so that an ONNX export is parsed once for both (without
/// a <c>config.json</c> its configuration is inferred from the graph the weights come from).
/// </summary>
internal sealed class PretrainedCheckpoint : IDisposable
{
    private PretrainedCheckpoint(BertConfig config, ITensorSource weights)
    {
        Config = config;
        Weights = weights;
    }

    /// <summary>The configuration: <c>config.json</c>, or inferred from an ONNX graph.</summary>
    public BertConfig Config { get; }

    /// <summary>The weights, under Hugging Face names.</summary>
    public ITensorSource Weights { get; }

    /// <summary>Opens a checkpoint directory or an ONNX export (see <see cref="CheckpointFiles.Find"/> for which weights a directory gives).</summary>
    /// <exception cref="FileNotFoundException">The directory holds no weights or no config.</exception>
    /// <exception cref="InvalidDataException">The config or the weights are malformed.</exception>
    public static PretrainedCheckpoint Open(string path)
    {
        var weightsPath = Directory.Exists(path) ? CheckpointFiles.Find(path) : path;
        if (!OnnxCheckpoint.IsOnnxFile(weightsPath)) return new PretrainedCheckpoint(BertConfig.Load(path), CheckpointFiles.Open(weightsPath));
        var source = OnnxTensorSource.Open(weightsPath);
        try
        {
            return new PretrainedCheckpoint(OnnxCheckpoint.LoadConfig(weightsPath, source), source);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Closes the weights.</summary>
    public void Dispose() => Weights.Dispose();
}
