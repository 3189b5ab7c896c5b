using System.Globalization;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Bench.Engine;

/// <summary>
/// 8-bit products (<see cref="Int8Gemm"/>, activations quantised on the fly, dequantised with a bias) against the
/// float product over the same packed weight (<see cref="Linear.Forward(ReadOnlySpan{float}, PackedMatrix, ReadOnlySpan{float}, Span{float}, int)"/>),
/// as operations per second (2 per multiply-add) and as a share of this CPU's measured VNNI peak (<see cref="VnniPeak"/>).
/// Shapes: the dense layers of all-MiniLM-L6-v2 on a batch of 32 × 24 tokens, and of BERT-base on 4096 tokens.
/// </summary>
internal static class Int8GemmBenchmark
{
    /// <summary>The (M, K, N) shapes measured by default: rows, input features, output features.</summary>
    public static readonly (int M, int K, int N)[] DefaultShapes =
        [(768, 384, 1152), (768, 384, 384), (768, 384, 1536), (768, 1536, 384), (4096, 768, 768), (4096, 768, 3072), (4096, 3072, 768)];

    /// <summary>Runs every shape, prints the markdown table and returns the summary values.</summary>
    public static IReadOnlyDictionary<string, string> Run(TextWriter table, IReadOnlyList<(int M, int K, int N)> shapes)
    {
        var threads = Parallelism.Degree;
        var peak = VnniPeak.OperationsPerSecond(threads) / 1e9;
        var kernel = Linear.Quantize([], 0, 0).Kernel;
        table.WriteLine(FormattableString.Invariant(
            $"Int8 GEMM on {threads} threads, kernel {kernel}; measured VNNI peak {peak:F0} GOPS (registers only); fastest of {Measure.TimedRuns} alternating calls after {Measure.WarmupRuns} warm-up calls."));
        table.WriteLine();
        table.WriteLine("| M | K | N | int8 GOPS | % of VNNI peak | fp32 GFLOP/s | int8 / fp32 |");
        table.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        double worstShare = double.MaxValue;
        foreach (var (m, k, n) in shapes)
        {
            var x = GemmBenchmark.Random(m * k, 1);
            var w = GemmBenchmark.Random(n * k, 2);
            var bias = GemmBenchmark.Random(n, 3);
            var y = new float[m * n];
            var quantized = Linear.Quantize(w, k, n);
            var packed = Linear.Pack(w, k, n);
            var (int8Seconds, floatSeconds) = Measure.BestSeconds(
                () => Linear.Forward(x, quantized, bias, y, m),
                () => Linear.Forward(x, packed, bias, y, m));
            var operations = 2.0 * m * n * k / 1e9;
            double int8 = operations / int8Seconds, fp32 = operations / floatSeconds;
            var share = peak > 0 ? int8 / peak : 0;
            worstShare = Math.Min(worstShare, share);
            table.WriteLine(FormattableString.Invariant($"| {m} | {k} | {n} | {int8:F0} | {100 * share:F0} | {fp32:F0} | {int8 / fp32:F2} |"));
            table.Flush();
        }

        return new Dictionary<string, string>
        {
            ["int8_peak_gops"] = peak.ToString("F0", CultureInfo.InvariantCulture),
            ["int8_worst_peak_share"] = worstShare.ToString("F2", CultureInfo.InvariantCulture),
        };
    }
}
