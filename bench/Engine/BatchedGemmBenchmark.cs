using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Bench.Engine;

/// <summary>
/// Attention-sized batched products, ours (<see cref="Gemm.BatchedMultiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, int, bool, bool, bool)"/>,
/// spread over the threads by product) against one OpenBLAS call per product: BERT-base heads (D = 64) over
/// 8 sequences of 128 tokens, the scores <c>Q·Kᵀ</c> and the context <c>P·V</c>.
/// </summary>
internal static class BatchedGemmBenchmark
{
    private const int Sequences = 8, Heads = 12, Tokens = 128, HeadSize = 64;

    private static readonly (string Name, int M, int N, int K, bool TransposeB)[] Products =
        [("scores Q·Kᵀ", Tokens, Tokens, HeadSize, true), ("context P·V", Tokens, HeadSize, Tokens, false)];

    /// <summary>Prints the markdown table; it adds no summary values (the suite's summary is about single products).</summary>
    public static IReadOnlyDictionary<string, string> Run(TextWriter table)
    {
        const int batch = Sequences * Heads;
        table.WriteLine($"Batched SGEMM GFLOP/s, {batch} products ({Sequences} sequences × {Heads} heads); " +
                        "OpenBLAS called once per product.");
        table.WriteLine();
        table.WriteLine("| product | M | N | K | ours GFLOP/s | OpenBLAS GFLOP/s | ours / OpenBLAS |");
        table.WriteLine("|:---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, m, n, k, transposeB) in Products)
        {
            var a = GemmBenchmark.Random(batch * m * k, 3);
            var b = GemmBenchmark.Random(batch * k * n, 4);
            var c = new float[batch * m * n];
            var flops = 2.0 * batch * m * n * k;
            var (oursSeconds, peerSeconds) = Measure.BestSeconds(
                () => Gemm.BatchedMultiply(a, b, c, batch, m, n, k, transposeB: transposeB),
                () =>
                {
                    for (var i = 0; i < batch; i++)
                        OpenBlas.Multiply(a.AsSpan(i * m * k, m * k), b.AsSpan(i * k * n, k * n), c.AsSpan(i * m * n, m * n),
                            m, n, k, transposeA: false, transposeB);
                });
            double ours = flops / oursSeconds / 1e9, peer = flops / peerSeconds / 1e9;
            table.WriteLine(FormattableString.Invariant($"| {name} | {m} | {n} | {k} | {ours:F1} | {peer:F1} | {ours / peer:F2} |"));
            table.Flush();
        }

        return new Dictionary<string, string>();
    }
}
