using Google.Protobuf;
using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// A written graph as a whole <c>.onnx</c> model: IR version 8 with the standard operator set 17 (the first with
/// <c>LayerNormalization</c>; ONNX Runtime 1.13 and later run it), producer, description and metadata; and the
/// writing of it, to a stream or atomically to a path.
/// </summary>
internal static class OnnxModelFile
{
    /// <summary>The ONNX IR version of opset 17.</summary>
    public const long IrVersion = 8;

    /// <summary>The standard (<c>ai.onnx</c>) operator set the graph binds to.</summary>
    public const long Opset = 17;

    /// <summary>The producer name written into every export.</summary>
    public const string ProducerName = "MLNet.Transformers";

    private const int WriteBufferBytes = 1 << 20;

    /// <summary>The model around <paramref name="graph"/>, with <paramref name="metadata"/> as its <c>metadata_props</c>.</summary>
    /// <exception cref="InvalidOperationException">The weights exceed the 2 GB a single ONNX file holds.</exception>
    public static ModelProto Create(GraphProto graph, string description, IReadOnlyDictionary<string, string> metadata)
    {
        var bytes = graph.Initializer.Sum(i => (long)i.RawData.Length);
        if (bytes > OnnxModelReader.MaxProtobufBytes)
            throw new InvalidOperationException(
                $"The model's weights take {bytes} bytes, over the 2 GB a single .onnx file can hold; it cannot be exported.");
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxModelFile).Assembly.GetName().Version?.ToString() ?? "",
            DocString = description,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>Writes the model to <paramref name="stream"/> (left open).</summary>
    public static void Write(ModelProto model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        model.WriteTo(stream);
        stream.Flush();
    }

    /// <summary>
    /// Writes the model to <paramref name="path"/> through a temporary file in the same folder, renamed over the
    /// target only once complete: a failed export leaves no file, or the previous one, never a half-written one.
    /// The folder is created when missing.
    /// </summary>
    public static void Write(ModelProto model, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, WriteBufferBytes))
            {
                model.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
