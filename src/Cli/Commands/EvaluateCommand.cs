using System.CommandLine;
using MLNet.Transformers.Cli.Classification;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Cli.Data;

namespace MLNet.Transformers.Cli.Commands;

/// <summary>
/// <c>evaluate --model MODEL.zip --data FILE [--output METRICS.json] [--precision float32|int8]</c>: scores labelled rows with a classifier made
/// by <c>train</c>, prints the metrics table and confusion matrix, and writes the metrics as JSON.
/// </summary>
internal static class EvaluateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var modelOption = new Option<string>("--model") { Description = "A classifier zip written by 'train'.", Required = true };
        var dataOption = new Option<string>("--data") { Description = "Labelled rows (.tsv/.csv with a header, or .jsonl) with the training column names.", Required = true };
        var columnsOption = CommonOptions.Columns();
        var precisionOption = CommonOptions.PrecisionChoice("the model's own (float32 unless trained with --precision int8)");
        var outputOption = new Option<string?>("--output") { Description = "A .json file for the metrics (accuracy, macro_accuracy, log_loss, log_loss_reduction (null when undefined: data of one class), per-class precision/recall/F1, confusion matrix)." };

        var command = new Command("evaluate", "Measure a trained classifier on labelled data: metrics table, confusion matrix, JSON.")
        {
            modelOption, dataOption, columnsOption, outputOption, precisionOption,
        };
        command.SetAction(parse => CliErrors.Run(() => Run(ClassifierModel.Load(parse.GetRequiredValue(modelOption), CommonOptions.ParsePrecision(parse.GetValue(precisionOption))), parse.GetRequiredValue(dataOption),
            DataFileReader.ParseColumnNames(parse.GetValue(columnsOption)), parse.GetValue(outputOption))));
        return command;
    }

    private static int Run(ClassifierModel model, string dataPath, IReadOnlyList<string>? columns, string? outputPath)
    {
        var table = DataFileReader.Read(dataPath, columns, allowPlainText: false);
        using var output = outputPath is null ? null : new AtomicFileWriter(outputPath);
        var metrics = model.Evaluate(table);
        MetricsReport.Print(metrics, $"{Path.GetFileName(dataPath)}: {table.RowCount} rows");
        if (output is not null)
        {
            output.Writer.Write(MetricsReport.ToJson(metrics));
            output.Commit();
        }
        return 0;
    }
}
