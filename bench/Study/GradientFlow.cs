using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Bench.Study;

/// <summary>
/// How much gradient reaches each position: the norm of the loss's gradient with respect to the embedding of the token
/// at each position, at initialisation, for a classifier whose head reads one position (an RNN's last state; the
/// transformer's first token). Every position holds a different token, so the gradient of a row of the embedding table
/// is the gradient of that one position's input. Averaged over sequences of random tokens and random labels.
/// </summary>
internal static class GradientFlow
{
    /// <summary>[network] mean gradient norm at each distance from the read-out position (index = distance).</summary>
    public static Dictionary<string, double[]> Measure(NetworkShape shape, int length, int trials, ulong seed)
    {
        var results = new Dictionary<string, double[]>();
        foreach (var network in StudyNetwork.All(shape, seed, withAttentionRnn: false))
        {
            var norms = new double[length];
            var rng = new Rng(seed + 1);
            var readsFirst = network.Name == "transformer";
            for (var trial = 0; trial < trials; trial++)
            {
                var ids = DistinctTokens(rng, length, shape.Vocabulary);
                var batch = EncoderBatch.Pad([ids], [new int[length]], padTokenId: 0);
                foreach (var p in network.Parameters) p.ZeroGradient();
                SyntheticTraining.LossAndBackward(network, batch, [rng.NextInt(shape.Classes)]);
                var table = network.Embeddings.Gradient.Span;
                var width = network.Embeddings.Value.Size(1);
                for (var t = 0; t < length; t++)
                {
                    var distance = readsFirst ? t : length - 1 - t;
                    norms[distance] += Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(table.Slice(ids[t] * width, width))) / trials;
                }
            }
            Console.Error.WriteLine($"gradient flow {network.Name}: distance 0 {norms[0]:E2}, distance {length - 1} {norms[^1]:E2}");
            results[network.Name] = norms;
        }
        return results;
    }

    /// <summary><paramref name="length"/> different token ids from [1, vocabulary).</summary>
    private static int[] DistinctTokens(Rng rng, int length, int vocabulary)
    {
        var pool = Enumerable.Range(1, vocabulary - 1).ToArray();
        rng.Shuffle(pool.AsSpan());
        return pool[..length];
    }
}
