using System.CommandLine;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Data;
using MLNet.Transformers.Cli.Classification;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Cli.Data;

namespace MLNet.Transformers.Cli.Commands;

/// <summary>
/// <c>predict --model MODEL.zip --input FILE --output FILE [--precision float32|int8]</c>: one <c>{"predicted_label": ..., "scores": {"label":
/// probability, ...}}</c> line per input row, in order.
/// </summary>
internal static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var modelOption = new Option<string>("--model") { Description = "A classifier zip written by 'train'.", Required = true };
        var inputOption = new Option<string>("--input")
        {
            Description = "A .txt (one text per line), a .jsonl ({\"text\": ..., \"text_pair\": ...} per line), or a .tsv/.csv with the training column names.",
            Required = true,
        };
        var columnsOption = CommonOptions.Columns();
        var precisionOption = CommonOptions.PrecisionChoice("the model's own (float32 unless trained with --precision int8)");
        var outputOption = new Option<string>("--output") { Description = "The .jsonl to write: {\"predicted_label\": ..., \"scores\": {...}} per input row.", Required = true };

        var command = new Command("predict", "Classify texts with a trained classifier.")
        {
            modelOption, inputOption, columnsOption, outputOption, precisionOption,
        };
        command.SetAction(parse => CliErrors.Run(() => Run(ClassifierModel.Load(parse.GetRequiredValue(modelOption), CommonOptions.ParsePrecision(parse.GetValue(precisionOption))), parse.GetRequiredValue(inputOption),
            DataFileReader.ParseColumnNames(parse.GetValue(columnsOption)), parse.GetRequiredValue(outputOption))));
        return command;
    }

    private static int Run(ClassifierModel model, string inputPath, IReadOnlyList<string>? columns, string outputPath)
    {
        var table = DataFileReader.Read(inputPath, columns, allowPlainText: true);
        using var output = new AtomicFileWriter(outputPath);
        var scored = model.Score(table, withLabels: false);
        var predicted = scored.Schema[model.PredictedLabelColumn];
        var score = scored.Schema[model.ScoreColumn];

        var buffer = new MemoryStream();
        using (var cursor = scored.GetRowCursor([predicted, score]))
        {
            var getPredicted = cursor.GetGetter<ReadOnlyMemory<char>>(predicted);
            var getScore = cursor.GetGetter<VBuffer<float>>(score);
            var label = default(ReadOnlyMemory<char>);
            var scores = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                getPredicted(ref label);
                getScore(ref scores);
                buffer.SetLength(0);
                WriteLine(buffer, label.ToString(), model.ClassNames, scores.GetValues());
                output.Writer.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            }
        }
        output.Commit();
        if (model.TruncatedRowCount > 0)
            Console.Error.WriteLine($"warning: {model.TruncatedRowCount} of {table.RowCount} rows were longer than {model.MaxTokens} tokens and were truncated.");
        return 0;
    }

    private static void WriteLine(Stream stream, string predictedLabel, IReadOnlyList<string> classNames, ReadOnlySpan<float> scores)
    {
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("predicted_label", predictedLabel);
        json.WriteStartObject("scores");
        for (var c = 0; c < classNames.Count; c++) json.WriteNumber(classNames[c], scores[c]);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
