using MLNet.Transformers.Models.Onnx;

namespace MLNet.Transformers.Models.Configuration;

// Configurations of ONNX exports.
public sealed partial class BertConfig
{
    /// <summary>
    /// Infers the configuration of the ONNX export at <paramref name="path"/> from its graph alone, ignoring any
    /// <c>config.json</c> beside it (<see cref="Load"/> prefers that file); see <see cref="OnnxCheckpoint.InferConfig"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The model is malformed or a size cannot be inferred.</exception>
    public static BertConfig FromOnnx(string path)
    {
        using var source = OnnxTensorSource.Open(path);
        return OnnxCheckpoint.InferConfig(source);
    }
}
