using System.CommandLine;
using Microsoft.ML;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Transforms;

namespace MLNet.Transformers.Cli.Commands;

/// <summary>
/// <c>export-onnx --model MODEL --output FILE.onnx</c>: writes the model as an ONNX checkpoint (the graph, with
/// <c>config.json</c> and the tokenizer files beside it). MODEL is a pipeline zip (its text classifier, as
/// <c>train</c> writes it, or its text embedding) or a checkpoint folder or <c>.onnx</c> file, exported as a sentence
/// embedder with its sentence-transformers settings.
/// </summary>
internal static class ExportOnnxCommand
{
    private const string ModelKinds = "a model zip from 'train', a checkpoint folder or a .onnx file";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var modelOption = new Option<string>("--model") { Description = $"What to export: {ModelKinds}.", Required = true };
        var outputOption = new Option<string>("--output")
        {
            Description = "The .onnx file to write; config.json and the tokenizer files (and an embedder's sentence-transformers files) go beside it.",
            Required = true,
        };
        var command = new Command("export-onnx", "Export a classifier or a sentence embedder to ONNX, for ONNX Runtime and ML.NET's ApplyOnnxModel.")
        {
            modelOption, outputOption,
        };
        command.SetAction(parse => CliErrors.Run(() => Run(parse.GetRequiredValue(modelOption), parse.GetRequiredValue(outputOption))));
        return command;
    }

    private static int Run(string model, string output)
    {
        if (!output.EndsWith(OnnxCheckpoint.Extension, StringComparison.OrdinalIgnoreCase))
            throw new UserInputException($"--output {output}: must name a {OnnxCheckpoint.Extension} file (its config.json and tokenizer are written beside it).");
        if (Directory.Exists(output)) throw new UserInputException($"--output {output}: is a folder; give the {OnnxCheckpoint.Extension} file to write.");
        OptionCheck.ExistingFileOrDirectory("--model", model, ModelKinds);
        var (export, what) = Directory.Exists(model) || OnnxCheckpoint.IsOnnxFile(model) ? Embedder(model) : FromZip(model);
        IReadOnlyList<string> written;
        try
        {
            written = export(output);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{output}: cannot write the export ({CliErrors.OneLine(error.Message)}).");
        }
        catch (Exception error) when (error is NotSupportedException or InvalidOperationException)
        {
            throw new UserInputException($"{model}: cannot be exported to ONNX ({CliErrors.OneLine(error.Message)}).");
        }
        var beside = written.Take(written.Count - 1).Select(file => Path.GetRelativePath(Path.GetDirectoryName(written[^1])!, file));
        Console.WriteLine($"Wrote {output}: {what}; beside it: {string.Join(", ", beside)}.");
        return 0;
    }

    /// <summary>The sentence embedder of a checkpoint, with its own sentence-transformers settings.</summary>
    private static (Func<string, IReadOnlyList<string>> Export, string What) Embedder(string model)
    {
        TextEmbedder embedder;
        try
        {
            embedder = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = model });
        }
        catch (ArgumentException error)
        {
            throw new UserInputException($"{model}: {CliErrors.MessageOf(error)}");
        }
        return (embedder.ExportOnnx, Describe(embedder));
    }

    /// <summary>The text classifier, else the text embedding, of a pipeline zip.</summary>
    private static (Func<string, IReadOnlyList<string>> Export, string What) FromZip(string model)
    {
        var steps = ModelZip.Load(new MLContext(), model);
        if (steps.OfType<TextClassificationTransformer>().FirstOrDefault() is { Architecture: not TextClassifierArchitecture.Transformer } recurrent)
            throw new UserInputException($"{model}: a {TextClassifierArchitectureNames.NameOf(recurrent.Architecture)} classifier; only transformer classifiers are exported to ONNX.");
        if (steps.OfType<TextClassificationTransformer>().FirstOrDefault() is { } classifier)
            return (classifier.ExportOnnx, $"a text classifier (outputs logits, probabilities; classes {string.Join(", ", classifier.LabelNames)})");
        if (steps.OfType<TextEmbeddingTransformer>().FirstOrDefault() is { } embedding)
            return (embedding.ExportOnnx, Describe(embedding.Embedder));
        throw new UserInputException($"{model}: holds neither a text classifier nor a text embedding to export.");
    }

    private static string Describe(TextEmbedder embedder) =>
        $"a sentence embedder (output sentence_embedding of {embedder.Dimension}, "
        + $"{string.Join("+", embedder.Settings.PoolingModes).ToLowerInvariant()} pooling{(embedder.Settings.Normalize ? ", normalised" : "")})";
}
