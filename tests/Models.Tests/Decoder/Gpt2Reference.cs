using System.Text.Json;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;

namespace MLNet.Transformers.Models.Tests.Decoder;

/// <summary>
/// The gpt2-tiny fixture of tools/reference/models/make_gpt2_fixtures.py: a random GPT2LMHeadModel checkpoint, a batch
/// of ids and labels, what the PyTorch reference computed from them (float64 from the float32 weights), and its
/// generation results (generation.json).
/// </summary>
internal sealed class Gpt2Reference : IDisposable
{
    public const string Name = "gpt2-tiny";

    public Gpt2Reference()
    {
        Config = Gpt2Config.Load(Directory);
        using var inputs = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "inputs.json")));
        var ids = ReferenceCase.Rows(inputs.RootElement, "input_ids");
        (BatchSize, InputIds, Labels) = (ids.Count, [.. ids.SelectMany(r => r)], [.. ReferenceCase.Rows(inputs.RootElement, "labels").SelectMany(r => r)]);
        Expected = SafetensorsReader.Open(Path.Combine(Directory, "expected.safetensors"));
        Generation = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "generation.json"))).RootElement.Clone();
    }

    public static string Directory => ModelFixtures.Folder(Name);

    public Gpt2Config Config { get; }

    public int BatchSize { get; }

    public int[] InputIds { get; }

    public int[] Labels { get; }

    public SafetensorsReader Expected { get; }

    /// <summary>prompt, greedy, logits (after the prompt), processed (settings with the probabilities).</summary>
    public JsonElement Generation { get; }

    public int[] Ints(string name) => [.. Generation.GetProperty(name).EnumerateArray().Select(v => v.GetInt32())];

    /// <summary>The config with every dropout 0, for gradient checks.</summary>
    public Gpt2Config WithoutDropout()
    {
        var config = Gpt2Config.Load(Directory);
        (config.ResidualDropout, config.EmbeddingDropout, config.AttentionDropout) = (0, 0, 0);
        return config;
    }

    public void Dispose() => Expected.Dispose();
}
