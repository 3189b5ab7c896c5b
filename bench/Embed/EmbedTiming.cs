using System.Diagnostics;
using System.Globalization;

namespace MLNet.Transformers.Bench.Embed;

/// <summary>How every .NET contender of the embed benchmark is timed and reported, each in its own process.</summary>
internal static class EmbedTiming
{
    /// <summary>
    /// Runs <paramref name="embed"/> <paramref name="warmup"/> times (at least once; the last run's vectors are
    /// returned for the output check), then <paramref name="runs"/> timed times; returns the vectors and the median
    /// seconds of the timed runs.
    /// </summary>
    public static (float[][] Vectors, double MedianSeconds) Measure(Func<float[][]> embed, int warmup, int runs)
    {
        var vectors = embed();
        for (var i = 1; i < warmup; i++) vectors = embed();
        var seconds = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            embed();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(seconds);
        return (vectors, seconds[runs / 2]);
    }

    /// <summary>The result line's fields: <c>sentences_per_second=X peak_rss_mb=Y</c> (this process's peak resident memory).</summary>
    public static string Result(int sentences, double seconds)
    {
        var peak = double.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return string.Create(CultureInfo.InvariantCulture, $"sentences_per_second={sentences / seconds:F1} peak_rss_mb={peak:F1}");
    }
}
