using System.Diagnostics;

namespace MLNet.Transformers.Bench.Engine;

/// <summary>
/// Times ours against a peer: warm-up calls first (the JIT reaches its final tier, buffers are grown), then timed calls
/// alternating between the two, keeping the fastest of each. On a shared machine other work only ever slows a call
/// down, so the fastest call is the best estimate of what the code itself costs, and alternating gives both
/// contenders the same chances at a quiet moment.
/// </summary>
internal static class Measure
{
    /// <summary>Warm-up calls of each contender before timing.</summary>
    public const int WarmupRuns = 3;

    /// <summary>Timed calls of each contender; the fastest is reported.</summary>
    public const int TimedRuns = 7;

    /// <summary>Pause after each call, so that one contender's spinning worker threads go idle before the other runs.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(50);

    /// <summary>Seconds of the fastest timed call of each of <paramref name="ours"/> and <paramref name="peer"/>.</summary>
    public static (double Ours, double Peer) BestSeconds(Action ours, Action peer)
    {
        for (var i = 0; i < WarmupRuns; i++)
        {
            ours();
            peer();
        }

        double bestOurs = double.MaxValue, bestPeer = double.MaxValue;
        for (var i = 0; i < TimedRuns; i++)
        {
            bestOurs = Math.Min(bestOurs, Time(ours));
            bestPeer = Math.Min(bestPeer, Time(peer));
        }

        return (bestOurs, bestPeer);
    }

    private static double Time(Action action)
    {
        Thread.Sleep(Settle);
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
