using System.Globalization;

namespace MLNet.Transformers.Bench.Train;

/// <summary>Command line of the training-step benchmark: <c>prepare DIR [...]</c> or <c>step DIR [...]</c>.</summary>
internal sealed class StepBenchmarkOptions
{
    /// <summary><c>prepare</c> (write config.json and batch.json) or <c>step</c> (time training steps).</summary>
    public required string Command { get; init; }

    /// <summary>The folder shared with the PyTorch peer.</summary>
    public required string Directory { get; init; }

    /// <summary>The model size (a BertPresets name). Default tiny.</summary>
    public string Preset { get; init; } = "tiny";

    /// <summary>The vocabulary size (that of bert-base-uncased). Default 30522.</summary>
    public int VocabularySize { get; init; } = 30522;

    /// <summary>Rows per batch. Default 32.</summary>
    public int Batch { get; init; } = 32;

    /// <summary>Tokens per row. Default 64.</summary>
    public int Tokens { get; init; } = 64;

    /// <summary>Number of classes. Default 2.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>Seed of the weights and the batch. Default 7.</summary>
    public ulong Seed { get; init; } = 7;

    /// <summary>Threads. Default 2.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Untimed steps first. Default 2.</summary>
    public int Warmup { get; init; } = 2;

    /// <summary>Steps per timed run. Default 5.</summary>
    public int Steps { get; init; } = 5;

    /// <summary>Timed runs (the median is reported). Default 3.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>Parses <c>COMMAND DIR [--name value]...</c>.</summary>
    public static StepBenchmarkOptions Parse(string[] args)
    {
        if (args.Length < 2) throw new ArgumentException("usage: prepare|step DIR [--preset P] [--vocab N] [--batch B] [--tokens T] [--classes K] [--seed S] [--threads N] [--warmup N] [--steps N] [--runs N]");
        var values = new Dictionary<string, string>();
        for (var i = 2; i + 1 < args.Length; i += 2) values[args[i]] = args[i + 1];
        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new StepBenchmarkOptions
        {
            Command = args[0],
            Directory = args[1],
            Preset = values.GetValueOrDefault("--preset", "tiny"),
            VocabularySize = Int("--vocab", 30522),
            Batch = Int("--batch", 32),
            Tokens = Int("--tokens", 64),
            Classes = Int("--classes", 2),
            Seed = (ulong)Int("--seed", 7),
            Threads = Int("--threads", 2),
            Warmup = Int("--warmup", 2),
            Steps = Int("--steps", 5),
            Runs = Int("--runs", 3),
        };
    }
}
