using System.Diagnostics;

namespace MLNet.Transformers.Bench.Engine;

/// <summary>
/// Times an action: warm-up runs first (the JIT reaches its final tier), then the fastest of several timed runs. On a
/// shared machine other work only ever slows a run down, so the fastest run is the best estimate of what the code
/// itself costs; both contenders are measured the same way.
/// </summary>
internal static class Measure
{
    /// <summary>Warm-up calls before timing.</summary>
    public const int WarmupRuns = 3;

    /// <summary>Timed calls; the fastest is reported.</summary>
    public const int TimedRuns = 7;

    /// <summary>Pause after a contender so that its spinning worker threads go idle before the next one is timed.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    /// <summary>Seconds of the fastest timed call of <paramref name="action"/>.</summary>
    public static double BestSeconds(Action action)
    {
        for (var i = 0; i < WarmupRuns; i++)
            action();
        var best = double.MaxValue;
        for (var i = 0; i < TimedRuns; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        Thread.Sleep(Settle);
        return best;
    }
}
