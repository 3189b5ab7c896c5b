using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Decoder;

// Loading and saving Hugging Face GPT-2 checkpoints.
public sealed partial class Gpt2LMHeadModel
{
    /// <summary>The metadata Hugging Face writes, which its loaders check for.</summary>
    private static readonly Dictionary<string, string> Metadata = new() { ["format"] = "pt" };

    /// <summary>
    /// Reads <c>config.json</c> and the weights of a checkpoint directory saved from <c>GPT2LMHeadModel</c>
    /// (<c>transformer.*</c>) or <c>GPT2Model</c> (no prefix, as the original <c>gpt2</c> checkpoints); every parameter
    /// must be present.
    /// </summary>
    /// <exception cref="FileNotFoundException">The directory holds no config or no weights.</exception>
    /// <param name="directory">The checkpoint directory.</param>
    /// <param name="backend">Where the model computes; null for the managed engine.</param>
    /// <exception cref="InvalidDataException">The config or weights are malformed, or a parameter is missing.</exception>
    public static Gpt2LMHeadModel FromPretrained(string directory, ComputeBackend? backend = null)
    {
        var model = new Gpt2LMHeadModel(Gpt2Config.Load(directory), backend: backend);
        model.LoadWeights(directory).EnsureComplete(allowUnexpected: true);
        return model;
    }

    /// <summary>
    /// Fills the parameters from the weights at <paramref name="path"/> (a weights file, an index, or a checkpoint
    /// directory). The tied <c>lm_head.weight</c> and the attention mask buffers (<c>attn.bias</c>,
    /// <c>attn.masked_bias</c>) older checkpoints store are skipped; everything else unmatched is reported.
    /// </summary>
    /// <exception cref="InvalidDataException">The weights are malformed or a shape differs.</exception>
    public LoadReport LoadWeights(string path)
    {
        using var source = CheckpointFiles.Open(path);
        return LoadWeights(source);
    }

    /// <inheritdoc cref="LoadWeights(string)"/>
    public LoadReport LoadWeights(ITensorSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var bindings = _parameters.Select(p => new ParameterBinding(p.Name, p.Value.Shape.ToArray(), p.Value.Memory)).ToList();
        return CheckpointLoader.Load(source, bindings, Prefix, IsIgnorable);
    }

    /// <summary>
    /// Writes <c>config.json</c> and <c>model.safetensors</c> into <paramref name="directory"/> (created if needed), as
    /// Hugging Face saves a <c>GPT2LMHeadModel</c>: the tied <c>lm_head.weight</c> is not stored.
    /// </summary>
    public void SavePretrained(string directory, TensorDType dtype = TensorDType.F32)
    {
        Directory.CreateDirectory(directory);
        Config.Save(Path.Combine(directory, Gpt2Config.FileName));
        SafetensorsWriter.Write(Path.Combine(directory, CheckpointFiles.Safetensors),
            _parameters.Select(p => new NamedTensor(p.Name, p.Value.Shape.ToArray(), p.Value.Memory)), dtype, Metadata);
    }

    /// <summary>Checkpoint tensors (names without <c>transformer.</c>) that are no parameter on purpose.</summary>
    internal static bool IsIgnorable(string name) =>
        name == "lm_head.weight" || name.EndsWith(".attn.bias", StringComparison.Ordinal) || name.EndsWith(".attn.masked_bias", StringComparison.Ordinal);
}
