using MLNet.Transformers.Models.Checkpoints.Torch;
using MLNet.Transformers.Models.Onnx;

namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>Finds and opens the weights of a Hugging Face checkpoint directory.</summary>
public static class CheckpointFiles
{
    /// <summary>Single-file safetensors weights.</summary>
    public const string Safetensors = "model.safetensors";

    /// <summary>Index of sharded safetensors weights.</summary>
    public const string SafetensorsIndex = "model.safetensors.index.json";

    /// <summary>Single-file PyTorch weights.</summary>
    public const string PyTorch = "pytorch_model.bin";

    /// <summary>Index of sharded PyTorch weights.</summary>
    public const string PyTorchIndex = "pytorch_model.bin.index.json";

    /// <summary>
    /// Opens the weights at <paramref name="path"/>: a weights file or index, an ONNX export (<c>.onnx</c>, its
    /// initializers under Hugging Face names: <see cref="OnnxTensorSource"/>), or a directory holding one (safetensors
    /// preferred over PyTorch, a single file over an index, <c>model.onnx</c> last).
    /// </summary>
    /// <exception cref="FileNotFoundException">The directory holds no weights file.</exception>
    public static ITensorSource Open(string path)
    {
        if (Directory.Exists(path)) return Open(Find(path));
        return Path.GetFileName(path) switch
        {
            var name when name.EndsWith(".safetensors.index.json", StringComparison.Ordinal) =>
                ShardedTensorSource.Open(path, SafetensorsReader.Open),
            var name when name.EndsWith(".bin.index.json", StringComparison.Ordinal) =>
                ShardedTensorSource.Open(path, TorchCheckpointReader.Open),
            var name when name.EndsWith(".bin", StringComparison.Ordinal) || name.EndsWith(".pt", StringComparison.Ordinal) =>
                TorchCheckpointReader.Open(path),
            _ when OnnxCheckpoint.IsOnnxFile(path) => OnnxTensorSource.Open(path),
            _ => SafetensorsReader.Open(path),
        };
    }

    /// <summary>
    /// Where the tokenizer of the checkpoint at <paramref name="path"/> is: a checkpoint directory holds its own
    /// (<c>tokenizer.json</c>, <c>vocab.txt</c>, ...); an ONNX export has its tokenizer file beside it
    /// (<see cref="OnnxCheckpoint.RequireTokenizer"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">An ONNX export has no tokenizer beside it; the message names the files looked for.</exception>
    public static string TokenizerLocation(string path) => OnnxCheckpoint.IsOnnxFile(path) ? OnnxCheckpoint.RequireTokenizer(path) : path;

    /// <summary>
    /// The weights file of a checkpoint directory: <c>model.safetensors</c>, its index, <c>pytorch_model.bin</c>, its
    /// index, or <c>model.onnx</c>, the first that exists.
    /// </summary>
    /// <exception cref="FileNotFoundException">The directory holds none of them.</exception>
    public static string Find(string directory) =>
        new[] { Safetensors, SafetensorsIndex, PyTorch, PyTorchIndex, OnnxCheckpoint.FileName }
            .Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException(
            $"{directory}: no weights found (looked for {Safetensors}, {SafetensorsIndex}, {PyTorch}, {PyTorchIndex}, {OnnxCheckpoint.FileName}).");
}
