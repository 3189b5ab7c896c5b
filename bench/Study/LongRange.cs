namespace MLNet.Transformers.Bench.Study;

/// <summary>Accuracy on <see cref="LongRangeTask"/> against the distance, every architecture with the same steps.</summary>
internal static class LongRange
{
    /// <summary>[network] (distance, test accuracy, final training loss).</summary>
    public static Dictionary<string, List<(int Distance, double Accuracy, double Loss)>> Measure(
        NetworkShape shape, IReadOnlyList<int> distances, int steps, int batchSize, float learningRate, int testCount, ulong seed)
    {
        var results = new Dictionary<string, List<(int, double, double)>>();
        foreach (var distance in distances)
        {
            var sample = LongRangeTask.AtDistance(distance);
            foreach (var network in StudyNetwork.All(shape, seed, withAttentionRnn: true))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var loss = SyntheticTraining.Train(network, sample, steps, batchSize, learningRate, seed + (ulong)distance);
                var accuracy = SyntheticTraining.Accuracy(network, sample, testCount, batchSize, seed + 1_000_000UL + (ulong)distance);
                Console.Error.WriteLine($"long range {network.Name} d={distance}: accuracy {accuracy:F3}, loss {loss:F3} ({clock.Elapsed.TotalSeconds:F0} s)");
                if (!results.TryGetValue(network.Name, out var list)) results[network.Name] = list = [];
                list.Add((distance, accuracy, loss));
            }
        }
        return results;
    }
}
