using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using MLNet.Transformers;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.TorchSharp;
using MLNet.Transformers.Transforms;

// MODEL DATA.tsv SENTENCES STEPS THREADS: the same work on the managed engine and on TorchSharp (libtorch on the CPU),
// THREADS threads each: an embedding pass over the first SENTENCES sentences (TextEmbedder.Embed, batches of 32), and
// STEPS fine-tuning steps (forward, backward, clipping, AdamW; parameters kept on the device) of a sequence classifier on the first 32 sentences; then the
// TorchSharp pass in bfloat16. Prints one line per measurement, and last "managed_step_s=... torch_step_s=...
// managed_sentences_per_s=... torch_sentences_per_s=... bf16_cos_mean=... bf16_cos_min=...".
var (model, data) = (args[0], args[1]);
var (count, steps, threads) = (Int(args[2]), Int(args[3]), Int(args[4]));
const int BatchSize = 32;
const float LearningRate = 2e-5f, MaxGradientNorm = 1f;
TorchSharp.torch.set_num_threads(threads);
var lines = File.ReadLines(data).ToList();
var column = lines[0].Split('\t').ToList().IndexOf("sentence");
var sentences = lines.Skip(1).Take(count).Select(l => l.Split('\t')[column]).ToArray();

(float[][] Vectors, double SentencesPerSecond) Embed(string device, Precision precision)
{
    // THREADS threads in all: the managed engine's own (batches data-parallel), or libtorch's intra-op threads with
    // the batches one after another (libtorch splitting each of its operations).
    var parallelBatches = device == ComputeBackends.DefaultDevice ? threads : 1;
    var embedder = TextEmbedder.FromPretrained(new TextEmbeddingOptions
    {
        ModelPath = model, Device = device, Precision = precision, BatchSize = BatchSize, DegreeOfParallelism = parallelBatches,
    });
    embedder.Embed(sentences[..BatchSize]); // warm-up
    var clock = Stopwatch.StartNew();
    var vectors = embedder.Embed(sentences);
    var rate = sentences.Length / clock.Elapsed.TotalSeconds;
    Console.WriteLine($"embed {device} {precision}: {rate:F1} sentences/s");
    return (vectors, rate);
}

double Step(string device)
{
    var backend = ComputeBackends.Create(device, threads);
    var classifier = BertForSequenceClassification.FromPretrained(model, seed: 1, labels: ["negative", "positive"], backend: backend);
    var tokenizer = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = model }).Tokenizer;
    var encodings = tokenizer.EncodeBatch(sentences[..BatchSize]);
    var batch = EncoderBatch.Pad([.. encodings.Select(e => e.Ids.ToArray())], [.. encodings.Select(e => new int[e.Length])], classifier.Config.PadTokenId);
    var labels = Enumerable.Range(0, BatchSize).Select(i => i % 2).ToArray();
    // As TrainingLoop runs a step: parameters, gradients and AdamW's moments held on the device, clipping there.
    var parameters = DeviceParameterMap.Align(backend, classifier.Parameters, classifier.DeviceParameters);
    using var optimizer = new DeviceAdamW(backend, classifier.Parameters, parameters);
    var times = new List<double>();
    backend.PushValues(parameters);
    using (backend.KeepOnDevice(parameters))
    {
        for (var step = 0; step <= steps; step++) // step 0 warms up
        {
            var clock = Stopwatch.StartNew();
            foreach (var parameter in parameters) backend.Fill(parameter.Gradient, 0f);
            classifier.ForwardBackward(batch, labels);
            optimizer.ClipGlobalNorm(MaxGradientNorm);
            optimizer.Step(LearningRate);
            if (step > 0) times.Add(clock.Elapsed.TotalSeconds);
        }
    }
    var median = times.Order().ElementAt(times.Count / 2);
    Console.WriteLine($"step {device}: median {median:F3} s over {steps} steps (batch {BatchSize}, {batch.SequenceLength} tokens)");
    return median;
}

var (managedStep, torchStep) = (Step(ComputeBackends.DefaultDevice), Step(TorchDevices.Cpu));
var managed = Embed(ComputeBackends.DefaultDevice, Precision.Float32);
var torch = Embed(TorchDevices.Cpu, Precision.Float32);
var bf16 = Embed(TorchDevices.Cpu, Precision.BFloat16);
var cosines = managed.Vectors.Select((v, i) => (double)TensorPrimitives.CosineSimilarity(bf16.Vectors[i], v)).ToList();
var worstFloat = managed.Vectors.Select((v, i) => TensorPrimitives.Distance(torch.Vectors[i], v)).Max();
Console.WriteLine($"largest distance between the float32 vectors of the two backends: {worstFloat:E2}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"managed_step_s={managedStep:F4} torch_step_s={torchStep:F4} managed_sentences_per_s={managed.SentencesPerSecond:F1} torch_sentences_per_s={torch.SentencesPerSecond:F1} torch_bf16_sentences_per_s={bf16.SentencesPerSecond:F1} bf16_cos_mean={cosines.Average():F5} bf16_cos_min={cosines.Min():F5}"));

static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
