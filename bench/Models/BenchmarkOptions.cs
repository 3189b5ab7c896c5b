using System.Globalization;
using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Bench.Models;

/// <summary>Command-line options of the models benchmark: <c>prepare DIR</c> or <c>forward DIR</c>, then <c>--name value</c> pairs.</summary>
internal sealed record BenchmarkOptions(string Command, string Directory)
{
    /// <summary>Sequences per batch. Default 32.</summary>
    public int Batch { get; init; } = 32;

    /// <summary>Tokens per sequence. Default 128.</summary>
    public int Tokens { get; init; } = 128;

    /// <summary>Batches in the timed set (all different). Default 4.</summary>
    public int Batches { get; init; } = 4;

    /// <summary>Worker threads. Default 2.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Untimed passes over the batches first (JIT, buffers). Default 1.</summary>
    public int WarmupRuns { get; init; } = 1;

    /// <summary>Timed passes over the batches; the median pass counts. Default 3.</summary>
    public int TimedRuns { get; init; } = 3;

    /// <summary>Most padded tokens per model call: each batch runs in pieces of the inference batching policy. Default the policy's.</summary>
    public int MaxBatchTokens { get; init; } = InferenceBatching.DefaultMaxBatchTokens;

    /// <summary>The config.json to shape the random checkpoint after (prepare only).</summary>
    public string? Config { get; init; }

    /// <summary>Seed of the random weights and token ids. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    public static BenchmarkOptions Parse(string[] args)
    {
        if (args.Length < 2 || args[0] is not ("prepare" or "forward"))
            throw new ArgumentException("usage: prepare DIR --config FILE [--batch N --tokens N --batches N] | forward DIR [--threads N --warmup N --runs N --max-batch-tokens N]");
        var options = new BenchmarkOptions(args[0], args[1]);
        for (var i = 2; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            int Int() => int.Parse(value, CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--batch" => options with { Batch = Int() },
                "--tokens" => options with { Tokens = Int() },
                "--batches" => options with { Batches = Int() },
                "--threads" => options with { Threads = Int() },
                "--warmup" => options with { WarmupRuns = Int() },
                "--runs" => options with { TimedRuns = Int() },
                "--max-batch-tokens" => options with { MaxBatchTokens = Int() },
                "--config" => options with { Config = value },
                "--seed" => options with { Seed = ulong.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }
}
