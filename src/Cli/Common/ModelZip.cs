using Microsoft.ML;

namespace MLNet.Transformers.Cli.Common;

/// <summary>A pipeline zip loaded by ML.NET, each failure one line naming the file.</summary>
internal static class ModelZip
{
    /// <summary>Loads <paramref name="path"/> into <paramref name="ml"/>; its steps in order (one, for a zip of a single transformer).</summary>
    /// <exception cref="UserInputException">There is no such file, or ML.NET (or a component's loader) cannot load it.</exception>
    public static IReadOnlyList<ITransformer> Load(MLContext ml, string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"{path}: no such model file.");
        ITransformer model;
        try
        {
            model = ml.Model.Load(path, out _);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Whatever ML.NET or a component's loader throws, the file is what it could not load.
            throw new UserInputException($"{path}: not a model zip that ML.NET can load ({CliErrors.OneLine(CliErrors.Innermost(error).Message)}).");
        }
        return [.. model as IEnumerable<ITransformer> ?? [model]];
    }
}
