using System.Diagnostics;

namespace MLNet.Transformers.Bench.Engine;

/// <summary>Times an action: warm-up runs first (the JIT reaches its final tier), then the median of timed runs.</summary>
internal static class Measure
{
    /// <summary>Warm-up calls before timing.</summary>
    public const int WarmupRuns = 3;

    /// <summary>Timed calls; the median is reported.</summary>
    public const int TimedRuns = 7;

    /// <summary>Pause after a contender so that its spinning worker threads go idle before the next one is timed.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    /// <summary>Median seconds per call of <paramref name="action"/>.</summary>
    public static double MedianSeconds(Action action)
    {
        for (var i = 0; i < WarmupRuns; i++)
            action();
        var seconds = new double[TimedRuns];
        for (var i = 0; i < seconds.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Thread.Sleep(Settle);
        Array.Sort(seconds);
        return seconds[seconds.Length / 2];
    }
}
