using System.Diagnostics;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Bench.Study;

/// <summary>
/// Training throughput against sequence length: forward and backward (the optimizer's step does not depend on the
/// length and is left out) on batches of random full-length sequences, examples per second of wall time, after a
/// quarter of the timed span spent warming up.
/// </summary>
internal static class Throughput
{
    /// <summary>Examples/s of each network at each length: [network][length].</summary>
    public static Dictionary<string, List<(int Length, double ExamplesPerSecond)>> Measure(
        NetworkShape shape, IReadOnlyList<int> lengths, int batchSize, double secondsPerPoint, ulong seed)
    {
        var results = new Dictionary<string, List<(int, double)>>();
        var rng = new Rng(seed);
        foreach (var length in lengths)
        {
            var ids = Enumerable.Range(0, batchSize).Select(_ => Enumerable.Range(0, length).Select(_ => 1 + rng.NextInt(shape.Vocabulary - 1)).ToArray()).ToList();
            var batch = EncoderBatch.Pad(ids, [.. ids.Select(i => new int[i.Length])], padTokenId: 0);
            var labels = Enumerable.Range(0, batchSize).Select(_ => rng.NextInt(shape.Classes)).ToArray();
            foreach (var network in StudyNetwork.All(shape, seed, withAttentionRnn: false))
            {
                var warmUp = Stopwatch.StartNew(); // buffers, and the JIT's optimised code for these shapes
                do SyntheticTraining.LossAndBackward(network, batch, labels);
                while (warmUp.Elapsed.TotalSeconds < secondsPerPoint / 4);
                var clock = Stopwatch.StartNew();
                var steps = 0;
                while (steps < 2 || clock.Elapsed.TotalSeconds < secondsPerPoint)
                {
                    SyntheticTraining.LossAndBackward(network, batch, labels);
                    steps++;
                }
                var rate = steps * batchSize / clock.Elapsed.TotalSeconds;
                Console.Error.WriteLine($"throughput {network.Name} length {length}: {rate:F1} examples/s ({steps} steps)");
                if (!results.TryGetValue(network.Name, out var list)) results[network.Name] = list = [];
                list.Add((length, rate));
            }
        }
        return results;
    }
}
