using System.Text.Json;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Models.SentenceTransformers;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Models.Tests.Encoder;

/// <summary>
/// The all-MiniLM-L6-v2 shape (real config, vocabulary 30522) with seeded weights that this test writes as a
/// safetensors checkpoint, against PyTorch: outputs, sentence embedding, and every parameter's gradient through its
/// norm, a projection on a seeded direction and 64 sampled elements (the full gradients are too large to commit).
/// </summary>
[TestClass]
public sealed class MiniLmReferenceTests
{
    private const string Fixture = "minilm";

    [TestMethod]
    public void ForwardAndSentenceEmbeddingMatchPyTorch()
    {
        using var reference = ReferenceCase.Open(Fixture);
        using var directory = WriteCheckpoint(reference.Directory);
        var model = BertModel.FromPretrained(directory.Path);

        var output = model.Forward(reference.Batch, training: false);

        reference.AssertMatches("last_hidden_state", output.LastHiddenState.Span);
        reference.AssertMatches("pooler_output", output.PoolerOutput!.Span);
        var pooler = new SentencePooler(new PoolingConfig { WordEmbeddingDimension = 384 }, normalize: true);
        reference.AssertMatches("pool.mean.normalized", pooler.Forward(output.LastHiddenState, reference.Batch.AttentionMask, false).Span);
    }

    [TestMethod]
    public void EveryParameterGradientMatchesPyTorch()
    {
        using var reference = ReferenceCase.Open(Fixture, withoutDropout: true);
        using var directory = WriteCheckpoint(reference.Directory);
        var model = new BertModel(reference.Config);
        model.LoadWeights(directory.Path).EnsureComplete();

        model.Forward(reference.Batch, training: true);
        model.Backward(Upstream(reference, "upstream.last_hidden_state", 2, 16, 384), Upstream(reference, "upstream.pooler_output", 2, 384));

        Assert.AreEqual(reference.Expected.Names.Count(n => n.StartsWith("grad_norm.", StringComparison.Ordinal)), model.Parameters.Count);
        var largest = model.Parameters.Max(p => reference.Expected.ReadSingle("grad_norm." + p.Name)[0]);
        var largestElement = model.Parameters.Max(p => reference.Expected.ReadSingle("grad_max_abs." + p.Name)[0]);
        using var samples = JsonDocument.Parse(File.ReadAllText(Path.Combine(reference.Directory, "gradient_samples.json")));
        foreach (var parameter in model.Parameters)
        {
            var gradient = parameter.Gradient.Span;
            int[] indices = [.. samples.RootElement.GetProperty(parameter.Name).EnumerateArray().Select(i => i.GetInt32())];
            float[] sampled = [.. indices.Select(i => parameter.Gradient.Span[i])];
            var elementScale = Math.Max(reference.Expected.ReadSingle("grad_max_abs." + parameter.Name)[0], ReferenceCase.GradientScaleFloor * largestElement);
            var sampleError = ReferenceCase.RelativeError(sampled, reference.Expected.ReadSingle("grad_sample." + parameter.Name), elementScale);
            Assert.IsTrue(sampleError <= ReferenceCase.Tolerance, $"{parameter.Name} sampled gradient elements: {sampleError:E2}");
            var direction = DeterministicWeights.Uniform("projection." + parameter.Name, gradient.Length, DeterministicWeights.MiniLmSeed, 1.0);
            var norm = Math.Sqrt(Dot(gradient, gradient));
            var expectedNorm = reference.Expected.ReadSingle("grad_norm." + parameter.Name)[0];
            var scale = Math.Max(expectedNorm, ReferenceCase.GradientScaleFloor * largest);
            Assert.AreEqual(expectedNorm, norm, ReferenceCase.Tolerance * scale, $"{parameter.Name} gradient norm");
            var projection = Dot(gradient, direction);
            var directionNorm = Math.Sqrt(Dot(direction, direction));
            Assert.AreEqual(reference.Expected.ReadSingle("grad_projection." + parameter.Name)[0], projection,
                ReferenceCase.Tolerance * scale * directionNorm, $"{parameter.Name} gradient projection");
        }
    }

    [TestMethod]
    public void TheSharedAllMiniLmDirectoryLoadsAsItIsWithWeightsBesideIt()
    {
        var shared = TestPaths.SharedPath("models", "all-MiniLM-L6-v2-no-weights");
        using var directory = ModelFixtures.Temporary();
        foreach (var file in Directory.GetFiles(shared, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(directory.Path, Path.GetRelativePath(shared, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        WriteWeights(Path.Combine(directory.Path, CheckpointFiles.Safetensors), ModelFixtures.Folder(Fixture));

        var model = BertModel.FromPretrained(directory.Path);
        var sentence = SentenceTransformerConfig.Load(directory.Path);

        Assert.AreEqual(6 * 16 + 5 + 2, model.Parameters.Count);
        Assert.AreEqual(384, sentence.Pooling.SentenceEmbeddingDimension);
        using var reference = ReferenceCase.Open(Fixture);
        reference.AssertMatches("last_hidden_state", model.Forward(reference.Batch, false).LastHiddenState.Span);
    }

    private static TemporaryDirectory WriteCheckpoint(string fixture)
    {
        var directory = ModelFixtures.Temporary();
        File.Copy(Path.Combine(fixture, "config.json"), directory.File("config.json"));
        WriteWeights(directory.File(CheckpointFiles.Safetensors), fixture);
        return directory;
    }

    /// <summary>Writes the seeded weights under the names and shapes the PyTorch reference listed (parameters.json).</summary>
    private static void WriteWeights(string path, string fixture) =>
        SafetensorsWriter.Write(path, DeterministicWeights.MiniLmTensors(Path.Combine(fixture, "parameters.json"))
            .Select(t => new NamedTensor(t.Name, t.Shape, t.Values)));

    private static Tensor Upstream(ReferenceCase reference, string name, params int[] shape) =>
        Tensor.Wrap(reference.Expected.ReadSingle(name), 0, shape);

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }
}
