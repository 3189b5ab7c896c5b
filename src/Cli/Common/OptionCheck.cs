using System.Globalization;
using System.Numerics;
using MLNet.Transformers.Models.Onnx;

namespace MLNet.Transformers.Cli.Common;

/// <summary>
/// Checks of command-line option values. Each failure is one line naming the option as the user typed it, the value
/// given and the valid range in plain words (<c>--epochs 0: must be a whole number of at least 1.</c>); an option
/// left out (null) always passes.
/// </summary>
internal static class OptionCheck
{
    /// <summary>Requires a whole number of at least <paramref name="minimum"/>.</summary>
    public static void AtLeast(string option, int? value, int minimum)
    {
        if (value < minimum) throw Invalid(option, value, $"a whole number of at least {minimum}");
    }

    /// <summary>
    /// Requires a whole number from <paramref name="minimum"/> to <paramref name="maximum"/>;
    /// <paramref name="limit"/> says where the maximum comes from (e.g. "the model's max_position_embeddings").
    /// </summary>
    public static void Between(string option, int? value, int minimum, int maximum, string limit)
    {
        if (value < minimum || value > maximum) throw Invalid(option, value, $"a whole number from {minimum} to {maximum} ({limit})");
    }

    /// <summary>Requires a finite number greater than 0.</summary>
    public static void Positive<T>(string option, T? value) where T : struct, IFloatingPointIeee754<T>
    {
        if (value is { } v && !(v > T.Zero && T.IsFinite(v))) throw Invalid(option, value, "a number greater than 0");
    }

    /// <summary>Requires a finite number of at least 0.</summary>
    public static void NonNegative<T>(string option, T? value) where T : struct, IFloatingPointIeee754<T>
    {
        if (value is { } v && !(v >= T.Zero && T.IsFinite(v))) throw Invalid(option, value, "a number of at least 0");
    }

    /// <summary>Requires a number from 0 to 1, 1 itself only when <paramref name="oneAllowed"/>.</summary>
    public static void Fraction<T>(string option, T? value, bool oneAllowed) where T : struct, IFloatingPointIeee754<T>
    {
        if (value is not { } v) return;
        if (!(v >= T.Zero && (oneAllowed ? v <= T.One : v < T.One)))
            throw Invalid(option, value, oneAllowed ? "a number from 0 to 1" : "a number from 0 up to (not including) 1");
    }

    /// <summary>Requires <paramref name="path"/> to be an existing file or folder; <paramref name="what"/> describes it.</summary>
    public static void ExistingFileOrDirectory(string option, string? path, string what)
    {
        if (path is null) return;
        if (!File.Exists(path) && !Directory.Exists(path)) throw new UserInputException($"{option} {path}: no such file or folder; give {what}.");
    }

    /// <summary>
    /// Requires <paramref name="path"/> to be a checkpoint to read: an existing folder (Hugging Face layout), or an
    /// existing ONNX export (an <c>.onnx</c> file).
    /// </summary>
    public static void ExistingCheckpoint(string option, string? path)
    {
        if (path is null || Directory.Exists(path) || (OnnxCheckpoint.IsOnnxFile(path) && File.Exists(path))) return;
        throw new UserInputException($"{option} {path}: no such folder or .onnx file; give a checkpoint folder (config.json, weights, tokenizer) "
            + "or a BERT-family .onnx file (its tokenizer.json or vocab.txt beside it).");
    }

    private static UserInputException Invalid(string option, object? value, string expected) =>
        new($"{option} {Convert.ToString(value, CultureInfo.InvariantCulture)}: must be {expected}.");
}
