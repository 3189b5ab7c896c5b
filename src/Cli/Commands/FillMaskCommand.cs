using System.CommandLine;
using System.Globalization;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Trainers.Pretraining;

namespace MLNet.Transformers.Cli.Commands;

/// <summary>
/// <c>fill-mask --model DIR|FILE.onnx --text "..." [--top-k N]</c>: for each <c>[MASK]</c> of the text, the top-k tokens and
/// their probabilities, one <c>token&lt;TAB&gt;probability</c> line each (masks after the first start with a blank line).
/// </summary>
internal static class FillMaskCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A masked-LM checkpoint: a directory (e.g. written by pretrain) or a BERT-family .onnx file with its tokenizer beside it.", Required = true };
        var text = new Option<string>("--text") { Description = "The text, with one or more [MASK] tokens.", Required = true };
        var topK = new Option<int>("--top-k") { Description = $"Candidates per mask (default {FillMaskPredictor.DefaultTopK}).", DefaultValueFactory = _ => FillMaskPredictor.DefaultTopK };
        var command = new Command("fill-mask", "Predict the tokens hidden by [MASK] with a masked language model.") { model, text, topK };
        command.SetAction(parse => CliErrors.Run(() => Run(parse.GetRequiredValue(model), parse.GetRequiredValue(text), parse.GetValue(topK))));
        return command;
    }

    private static int Run(string modelDirectory, string text, int topK)
    {
        OptionCheck.AtLeast("--top-k", topK, 1);
        var predictor = FillMaskPredictor.Load(modelDirectory);
        IReadOnlyList<IReadOnlyList<FillMaskCandidate>> masks;
        try
        {
            masks = predictor.Predict(text, topK);
        }
        catch (ArgumentException error)
        {
            throw new UserInputException($"--text: {CliErrors.MessageOf(error)}");
        }
        for (var m = 0; m < masks.Count; m++)
        {
            if (m > 0) Console.WriteLine();
            foreach (var candidate in masks[m])
                Console.WriteLine($"{candidate.Token}\t{candidate.Score.ToString("F4", CultureInfo.InvariantCulture)}");
        }
        return 0;
    }
}
