using System.CommandLine;
using MLNet.Transformers.Cli.Classification;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Models.Attention;
using MLNet.Transformers.Transforms;

namespace MLNet.Transformers.Cli.Commands;

/// <summary>
/// <c>attention --model DIR|FILE.onnx --text "..." [--layer L] [--head H] --output FILE.html|FILE.svg</c>: the
/// self-attention a BERT-family encoder or GPT-2 gives a text, as a token-by-token heatmap: an HTML page with every
/// layer and head selectable (opening on --layer/--head), or an SVG of one layer and head.
/// </summary>
internal static class AttentionCommand
{
    private static readonly Dictionary<string, Action<AttentionMaps, TextWriter, AttentionView>> Writers =
        new(StringComparer.OrdinalIgnoreCase)
        {
            [".html"] = AttentionHtml.Write,
            [".htm"] = AttentionHtml.Write,
            [".svg"] = AttentionSvg.Write,
        };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A checkpoint: a BERT-family folder (config.json, weights, tokenizer) or .onnx file (its tokenizer beside it), or a GPT-2 folder; or a classifier zip from 'train' (a transformer's self-attention, an attention-RNN's weights over time).", Required = true };
        var text = new Option<string>("--text") { Description = "The text whose attention to show.", Required = true };
        var layer = new Option<int?>("--layer") { Description = "The layer, from 0 (default 0): the one an SVG draws, the one the HTML page opens on." };
        var head = new Option<int?>("--head") { Description = "The head, from 0 (default 0): the one an SVG draws, the one the HTML page opens on." };
        var output = new Option<string>("--output") { Description = "The file to write: .html (every layer and head, selectable) or .svg (one layer and head).", Required = true };
        var command = new Command("attention", "Show where a model's attention goes on a text: a heatmap as HTML or SVG.") { model, text, layer, head, output };
        command.SetAction(parse => CliErrors.Run(() => Run(
            parse.GetRequiredValue(model), parse.GetRequiredValue(text), parse.GetValue(layer), parse.GetValue(head), parse.GetRequiredValue(output))));
        return command;
    }

    private static int Run(string modelPath, string text, int? layer, int? head, string outputPath)
    {
        if (!Writers.TryGetValue(Path.GetExtension(outputPath), out var write))
            throw new UserInputException($"--output {outputPath}: must end in .html or .svg.");
        var isClassifier = string.Equals(Path.GetExtension(modelPath), ".zip", StringComparison.OrdinalIgnoreCase);
        if (!isClassifier) OptionCheck.ExistingCheckpoint("--model", modelPath);
        IAttentionSource attention = isClassifier ? ClassifierModel.Load(modelPath).Classifier : TextAttention.FromPretrained(modelPath);
        AttentionMaps maps;
        try
        {
            maps = attention.GetAttention(text);
        }
        catch (ArgumentException error)
        {
            throw new UserInputException($"--text: {CliErrors.MessageOf(error)}");
        }
        catch (InvalidOperationException error) when (isClassifier)
        {
            throw new UserInputException($"--model {modelPath}: {error.Message}");
        }
        OptionCheck.Between("--layer", layer, 0, maps.Layers - 1, $"the model has {maps.Layers} layers");
        OptionCheck.Between("--head", head, 0, maps.Heads - 1, $"each layer has {maps.Heads} heads");
        var view = new AttentionView { Title = $"Attention of {Path.GetFileName(Path.TrimEndingDirectorySeparator(modelPath))}", Layer = layer ?? 0, Head = head ?? 0 };
        using var file = new AtomicFileWriter(outputPath);
        write(maps, file.Writer, view);
        file.Commit();
        Console.WriteLine($"{outputPath}: {maps.Layers} layers × {maps.Heads} heads over {maps.Tokens.Count} tokens");
        return 0;
    }
}
