using Google.Protobuf;
using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Onnx;

/// <summary>Parses an <c>.onnx</c> file (a protobuf <c>ModelProto</c>) into memory, with errors that name the file.</summary>
internal static class OnnxModelReader
{
    /// <summary>Protobuf messages, and so ONNX files with their weights inside, cannot exceed 2 GB.</summary>
    internal const long MaxProtobufBytes = int.MaxValue;

    /// <summary>Read buffer: large reads, since nearly all of a model file is weight bytes.</summary>
    private const int ReadBufferBytes = 1 << 20;

    /// <summary>Reads and parses the model at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete ONNX model.</exception>
    public static ModelProto Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferBytes);
        return Read(stream, path);
    }

    /// <summary>Parses a model from a stream; <paramref name="location"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a complete ONNX model.</exception>
    public static ModelProto Read(Stream stream, string location)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek && stream.Length > MaxProtobufBytes)
            throw new InvalidDataException(
                $"{location}: {stream.Length} bytes is over the 2 GB an ONNX file can hold; models that large keep their weights as external data, which is not supported.");
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{location}: not a complete ONNX model ({e.Message})", e);
        }
        if (model.IrVersion <= 0 || model.Graph is null || model.Graph.Node.Count == 0)
            throw new InvalidDataException($"{location}: not an ONNX model (no IR version or no graph).");
        return model;
    }
}
