using System.Globalization;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Bench.Engine;

/// <summary>
/// SGEMM throughput, ours against OpenBLAS, on the products of a BERT-base layer over 4096 tokens (8 × 512):
/// the projections (768→768), the FFN up (768→3072) and down (3072→768), in the layouts forward (NN, NT) and
/// backward (TN) need.
/// </summary>
internal static class GemmBenchmark
{
    /// <summary>The (M, K, N) shapes measured by default.</summary>
    public static readonly (int M, int K, int N)[] DefaultShapes = [(4096, 768, 768), (4096, 768, 3072), (4096, 3072, 768)];

    private static readonly (string Name, bool TransposeA, bool TransposeB)[] Layouts =
        [("NN", false, false), ("NT", false, true), ("TN", true, false)];

    /// <summary>Runs every shape and layout, prints the markdown table and returns the summary values.</summary>
    public static IReadOnlyDictionary<string, string> Run(TextWriter table, IReadOnlyList<(int M, int K, int N)> shapes)
    {
        table.WriteLine($"SGEMM GFLOP/s on {Parallelism.Degree} threads, our kernel {Describe()} vs OpenBLAS " +
                        $"({OpenBlas.Config.Trim()}, {OpenBlas.Threads} threads); fastest of {Measure.TimedRuns} alternating calls after {Measure.WarmupRuns} warm-up calls.");
        table.WriteLine();
        table.WriteLine("| M | K | N | layout | ours GFLOP/s | OpenBLAS GFLOP/s | ours / OpenBLAS |");
        table.WriteLine("|---:|---:|---:|:---:|---:|---:|---:|");
        double worstRatio = double.MaxValue, worstOurs = double.MaxValue;
        foreach (var (m, k, n) in shapes)
        foreach (var (name, transposeA, transposeB) in Layouts)
        {
            var a = Random(m * k, 1);
            var b = Random(k * n, 2);
            var c = new float[m * n];
            var flops = 2.0 * m * n * k;
            var (oursSeconds, peerSeconds) = Measure.BestSeconds(
                () => Gemm.Multiply(a, b, c, m, n, k, transposeA, transposeB),
                () => OpenBlas.Multiply(a, b, c, m, n, k, transposeA, transposeB));
            double ours = flops / oursSeconds / 1e9, peer = flops / peerSeconds / 1e9;
            worstRatio = Math.Min(worstRatio, ours / peer);
            worstOurs = Math.Min(worstOurs, ours);
            table.WriteLine(FormattableString.Invariant($"| {m} | {k} | {n} | {name} | {ours:F1} | {peer:F1} | {ours / peer:F2} |"));
            table.Flush();
        }

        return new Dictionary<string, string>
        {
            ["gemm_vs_openblas"] = worstRatio.ToString("F2", CultureInfo.InvariantCulture),
            ["gemm_gflops"] = worstOurs.ToString("F0", CultureInfo.InvariantCulture),
        };
    }

    private static string Describe() => Gemm.Kernel == GemmKernel.Auto ? "Auto" : Gemm.Kernel.ToString();

    /// <summary>Uniform values in [-1, 1), fixed by <paramref name="seed"/>.</summary>
    internal static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
