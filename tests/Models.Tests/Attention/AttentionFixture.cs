using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Tests.Attention;

/// <summary>
/// The attention fixture of tools/reference/models/make_attention_fixtures.py: Hugging Face's
/// <c>output_attentions</c> per layer (B, H, T, T), float64 references stored as float32.
/// </summary>
internal static class AttentionFixture
{
    /// <summary>Largest accepted difference of a probability from the reference.</summary>
    public const double Tolerance = 1e-5;

    public static string Folder => ModelFixtures.Folder("attention");

    /// <summary>Asserts that each layer's probabilities match <c>{name}.layer.{i}</c>, and that there are as many layers.</summary>
    public static void AssertMatches(string name, IReadOnlyList<Tensor> layers)
    {
        using var expected = SafetensorsReader.Open(Path.Combine(Folder, "attentions.safetensors"));
        Assert.AreEqual(expected.Names.Count(n => n.StartsWith(name + ".layer.", StringComparison.Ordinal)), layers.Count, "layers");
        for (var i = 0; i < layers.Count; i++)
        {
            var reference = expected.ReadSingle($"{name}.layer.{i}");
            CollectionAssert.AreEqual(expected.Describe($"{name}.layer.{i}").Shape.ToArray(), layers[i].Shape.ToArray().Select(d => (long)d).ToArray(), $"layer {i} shape");
            var worst = 0.0;
            for (var j = 0; j < reference.Length; j++) worst = Math.Max(worst, Math.Abs(layers[i].Span[j] - reference[j]));
            Assert.IsTrue(worst <= Tolerance, $"{name} layer {i}: largest difference {worst:E2} exceeds {Tolerance:E0}.");
        }
    }

    /// <summary>Asserts the identities of attention probabilities (B, H, T, T): rows sum to 1, hidden keys get exactly 0.</summary>
    /// <param name="probabilities">One layer's probabilities.</param>
    /// <param name="attentionMask">(B, T) 1 real, 0 padding.</param>
    /// <param name="causal">Whether keys after the query are hidden.</param>
    public static void AssertProbabilities(Tensor probabilities, int[] attentionMask, bool causal)
    {
        var (b, h, t) = (probabilities.Size(0), probabilities.Size(1), probabilities.Size(2));
        for (var s = 0; s < b; s++)
            for (var head = 0; head < h; head++)
                for (var i = 0; i < t; i++)
                {
                    var row = probabilities.Span.Slice(((s * h + head) * t + i) * t, t);
                    var sum = 0.0;
                    for (var j = 0; j < t; j++)
                    {
                        var hidden = attentionMask[s * t + j] == 0 || (causal && j > i);
                        if (hidden) Assert.AreEqual(0f, row[j], $"sequence {s} head {head}: query {i} attends to hidden key {j}");
                        else Assert.IsTrue(row[j] >= 0f, $"sequence {s} head {head} row {i}: negative probability");
                        sum += row[j];
                    }
                    Assert.AreEqual(1.0, sum, 1e-5, $"sequence {s} head {head}: row {i} sums to {sum}");
                }
    }
}
