using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.Transformers.Bench.Engine;

/// <summary>
/// This CPU's 8-bit peak, measured: every thread runs 12 independent chains of 256-bit <c>vpdpbusd</c> on registers
/// only (no memory traffic), enough chains to cover the instruction's latency, so the loop runs at the issue rate; the fastest of a few runs (other work only slows it).
/// Each instruction does 32 multiply-adds (8 lanes × 4 byte products), counted as 64 operations.
/// </summary>
internal static class VnniPeak
{
    private const int Chains = 12;
    private const int Repeats = 5;
    private const int Iterations = 10_000_000;
    private const double OperationsPerInstruction = 2 * 8 * 4;

    /// <summary>Operations per second of <paramref name="threads"/> threads, each running the loop; 0 without AVX-VNNI.</summary>
    public static double OperationsPerSecond(int threads)
    {
        if (!AvxVnni.IsSupported)
            return 0;
        Loop(Iterations / 100); // compiled and warm
        var seconds = double.MaxValue;
        for (var repeat = 0; repeat < Repeats; repeat++)
        {
            var start = Stopwatch.GetTimestamp();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Loop(Iterations));
            seconds = Math.Min(seconds, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return threads * (double)Iterations * Chains * OperationsPerInstruction / seconds;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int Loop(int iterations)
    {
        var a = Vector256.Create((byte)1);
        var b = Vector256.Create((sbyte)1);
        Vector256<int> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        Vector256<int> s6 = default, s7 = default, s8 = default, s9 = default, s10 = default, s11 = default;
        for (var i = 0; i < iterations; i++)
        {
            s0 = AvxVnni.MultiplyWideningAndAdd(s0, a, b);
            s1 = AvxVnni.MultiplyWideningAndAdd(s1, a, b);
            s2 = AvxVnni.MultiplyWideningAndAdd(s2, a, b);
            s3 = AvxVnni.MultiplyWideningAndAdd(s3, a, b);
            s4 = AvxVnni.MultiplyWideningAndAdd(s4, a, b);
            s5 = AvxVnni.MultiplyWideningAndAdd(s5, a, b);
            s6 = AvxVnni.MultiplyWideningAndAdd(s6, a, b);
            s7 = AvxVnni.MultiplyWideningAndAdd(s7, a, b);
            s8 = AvxVnni.MultiplyWideningAndAdd(s8, a, b);
            s9 = AvxVnni.MultiplyWideningAndAdd(s9, a, b);
            s10 = AvxVnni.MultiplyWideningAndAdd(s10, a, b);
            s11 = AvxVnni.MultiplyWideningAndAdd(s11, a, b);
        }
        var sum = (s0 + s1 + s2 + s3) + (s4 + s5 + s6 + s7) + (s8 + s9 + s10 + s11);
        return Vector256.Sum(sum); // keeps the chains alive
    }
}
