using MLNet.Transformers.Models;
using MLNet.Transformers.Models.Configuration;

namespace MLNet.Transformers.Cli.Common;

/// <summary>
/// What a model can take, known before it is built: the longest sequence its position table holds and its encoder
/// (or GPT-2 decoder) layers. A checkpoint's come from its <c>config.json</c>; a fresh preset model gets the preset's layers and a position
/// table of <see cref="BertPresets.DefaultMaxPositionEmbeddings"/>, so a <c>--max-length</c> beyond it is refused instead
/// of silently growing the table.
/// </summary>
/// <param name="MaxSequenceLength">The longest input in tokens, special tokens included.</param>
/// <param name="Layers">The encoder layers.</param>
/// <param name="Source">Where the limits come from, for messages (e.g. "the checkpoint's max_position_embeddings").</param>
internal sealed record ModelLimits(int MaxSequenceLength, int Layers, string Source)
{
    /// <summary>The shortest <c>--max-length</c> any command takes: one text token between two special tokens.</summary>
    public const int MinimumLength = 3;

    /// <summary>
    /// The limits of the checkpoint at <paramref name="path"/>: a directory or its <c>config.json</c>, or an ONNX export
    /// (the <c>config.json</c> beside it, else the configuration it carries or its graph shows).
    /// </summary>
    /// <exception cref="UserInputException">A directory has no configuration file.</exception>
    /// <exception cref="InvalidDataException">The configuration cannot be read; the message names the file.</exception>
    public static ModelLimits OfCheckpoint(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, BertConfig.FileName) : path;
        if (!File.Exists(file)) throw new UserInputException($"{path}: no {BertConfig.FileName}; a checkpoint folder in Hugging Face layout has one.");
        if (Gpt2Config.IsGpt2Checkpoint(file))
        {
            var decoder = Gpt2Config.Load(file);
            return new ModelLimits(decoder.MaxPositions, decoder.NumLayers, $"the most the model's position table holds: n_positions {decoder.MaxPositions}");
        }
        var config = BertConfig.Load(file); // an .onnx file: its own configuration
        return new ModelLimits(config.MaxSequenceLength, config.NumHiddenLayers,
            $"the most the model's position table holds: max_position_embeddings {config.MaxPositionEmbeddings}");
    }

    /// <summary>The limits of a fresh model of the preset <paramref name="name"/>.</summary>
    public static ModelLimits OfPreset(string name) =>
        new(BertPresets.DefaultMaxPositionEmbeddings, BertPresets.Get(name).Layers,
            $"the position table of a fresh '{name}' model");

    /// <summary>The limits of a recurrent network (<c>--architecture lstm|gru|attention-rnn</c>): no position table, no encoder layers to freeze.</summary>
    public static ModelLimits OfRecurrent(string architecture) =>
        new(int.MaxValue, 0, $"unlimited for a {architecture} network");

    /// <summary>Checks a <c>--max-length</c> value against these limits.</summary>
    public void CheckMaxLength(int? value) =>
        OptionCheck.Between("--max-length", value, MinimumLength, MaxSequenceLength, $"{MaxSequenceLength} is {Source}");
}
