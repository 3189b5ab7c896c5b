using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;

namespace MLNet.Transformers.Tests.Common;

/// <summary>
/// A small random GPT-2 checkpoint in a temporary directory (deleted on dispose) with the real GPT-2 tokenizer
/// (<c>vocab.json</c>, <c>merges.txt</c> from the shared folder): the full 50257-token vocabulary, one narrow block,
/// so that text goes in and out in a blink.
/// </summary>
internal sealed class TinyGpt2Checkpoint : IDisposable
{
    /// <summary>Standard deviation of the random weights: large enough that the next-token distribution is far from flat.</summary>
    private const double WeightScale = 0.2;

    private TinyGpt2Checkpoint(string directory) => Directory = directory;

    /// <summary>The checkpoint directory.</summary>
    public string Directory { get; }

    /// <summary>Writes a checkpoint of weights drawn from <paramref name="seed"/> into a new temporary directory.</summary>
    public static TinyGpt2Checkpoint Create(ulong seed = 1)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("mlnet-gpt2-").FullName;
        var model = new Gpt2LMHeadModel(new Gpt2Config
        {
            MaxPositions = 64, HiddenSize = 16, NumLayers = 1, NumHeads = 2, InitializerRange = WeightScale,
        });
        model.Initialize(seed);
        model.SavePretrained(directory);
        foreach (var file in new[] { "vocab.json", "merges.txt" })
            File.Copy(TestPaths.SharedPath("tokenizers", "gpt2", file), Path.Combine(directory, file));
        return new TinyGpt2Checkpoint(directory);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
