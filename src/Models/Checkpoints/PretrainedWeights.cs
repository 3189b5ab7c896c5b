using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>Loads and saves the parameters of an <see cref="IPretrainedModel"/> in Hugging Face layout.</summary>
public static class PretrainedWeights
{
    /// <summary>The weights file written by <see cref="SavePretrained"/>.</summary>
    public const string WeightsFile = CheckpointFiles.Safetensors;

    private static readonly string[] TiedDecoders =
    [
        "cls.predictions.decoder.weight", "cls.predictions.decoder.bias", "lm_head.decoder.weight", "lm_head.decoder.bias",
        "vocab_projector.weight",
    ];

    /// <summary>The metadata Hugging Face writes, which its loaders check for.</summary>
    private static readonly Dictionary<string, string> Metadata = new() { ["format"] = "pt" };

    private static readonly string[] Buffers = ["embeddings.position_ids", "embeddings.token_type_ids"];

    /// <summary>The encoder's name prefix inside models with heads: <c>bert.</c>, <c>roberta.</c> or <c>distilbert.</c>.</summary>
    public static string BasePrefix(EncoderArchitecture architecture) => architecture switch
    {
        EncoderArchitecture.Roberta => "roberta.",
        EncoderArchitecture.DistilBert => "distilbert.",
        _ => "bert.",
    };

    /// <summary>
    /// Fills the model's parameters from the weights at <paramref name="path"/> (a weights file, an index, or a
    /// checkpoint directory). Buffers (<c>position_ids</c>), decoders tied to the word embeddings and, with sinusoidal
    /// positions, a stored position table are skipped; everything else unmatched is reported, not thrown.
    /// </summary>
    /// <exception cref="InvalidDataException">The weights are malformed or a shape differs.</exception>
    public static LoadReport LoadWeights(this IPretrainedModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var source = CheckpointFiles.Open(path);
        return model.LoadWeights(source);
    }

    /// <inheritdoc cref="LoadWeights(IPretrainedModel, string)"/>
    public static LoadReport LoadWeights(this IPretrainedModel model, ITensorSource source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        var bindings = model.Parameters.Select(p => new ParameterBinding(p.Name, p.Value.Shape.ToArray(), p.Value.Memory)).ToList();
        var sinusoidal = model.Config.PositionEmbeddingType == PositionEmbeddingType.Sinusoidal;
        return CheckpointLoader.Load(source, bindings, BasePrefix(model.Config.Architecture), name =>
            TiedDecoders.Contains(name) || Buffers.Contains(name)
            || (sinusoidal && name == "embeddings.position_embeddings.weight"));
    }

    /// <summary>Writes the parameters as one safetensors file (F32 by default: a round trip is bit-exact).</summary>
    public static void SaveWeights(this IPretrainedModel model, string path, TensorDType dtype = TensorDType.F32)
    {
        ArgumentNullException.ThrowIfNull(model);
        SafetensorsWriter.Write(path, model.Parameters.Select(ToNamedTensor), dtype, Metadata);
    }

    /// <summary>Writes the parameters as safetensors bytes to a stream (e.g. an entry of a model zip).</summary>
    public static void SaveWeights(this IPretrainedModel model, Stream stream, TensorDType dtype = TensorDType.F32)
    {
        ArgumentNullException.ThrowIfNull(model);
        SafetensorsWriter.Write(stream, model.Parameters.Select(ToNamedTensor), dtype, Metadata);
    }

    /// <summary>Writes <c>config.json</c> and <c>model.safetensors</c> into <paramref name="directory"/> (created if needed).</summary>
    public static void SavePretrained(this IPretrainedModel model, string directory, TensorDType dtype = TensorDType.F32)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(directory);
        model.Config.Save(Path.Combine(directory, BertConfig.FileName));
        model.SaveWeights(Path.Combine(directory, WeightsFile), dtype);
    }

    private static NamedTensor ToNamedTensor(Parameter parameter) =>
        new(parameter.Name, parameter.Value.Shape.ToArray(), parameter.Value.Memory);
}
