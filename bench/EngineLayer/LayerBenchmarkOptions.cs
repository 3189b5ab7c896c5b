namespace MLNet.Transformers.Bench.EngineLayer;

/// <summary>What the layer benchmark runs; defaults are one BERT-base layer on 32 × 128 tokens, 2 threads.</summary>
internal sealed class LayerBenchmarkOptions
{
    /// <summary>Sequences per batch (B). Default 32.</summary>
    public int Batch { get; set; } = 32;

    /// <summary>Tokens per sequence (T). Default 128.</summary>
    public int Tokens { get; set; } = 128;

    /// <summary>Kernel threads. Default 2.</summary>
    public int Threads { get; set; } = 2;

    /// <summary>Untimed runs before timing (the JIT reaches its final tier). Default 2.</summary>
    public int WarmupRuns { get; set; } = 2;

    /// <summary>Timed runs; the median is reported. Default 5.</summary>
    public int TimedRuns { get; set; } = 5;

    /// <summary>Parses <c>--batch N --tokens N --threads N --warmup N --runs N</c>.</summary>
    /// <exception cref="ArgumentException">An unknown option or a missing value.</exception>
    public static LayerBenchmarkOptions Parse(string[] args)
    {
        var options = new LayerBenchmarkOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out var value) || value < 1)
                throw new ArgumentException($"Option {args[i]} needs a positive integer value.");
            switch (args[i])
            {
                case "--batch": options.Batch = value; break;
                case "--tokens": options.Tokens = value; break;
                case "--threads": options.Threads = value; break;
                case "--warmup": options.WarmupRuns = value; break;
                case "--runs": options.TimedRuns = value; break;
                default: throw new ArgumentException($"Unknown option {args[i]} (--batch, --tokens, --threads, --warmup, --runs).");
            }
        }
        return options;
    }
}
