using MLNet.Transformers.Cli.Classification;
using MLNet.Transformers.Cli.Commands;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Cli.Data;
using MLNet.Transformers.Data;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Cli.Training;

/// <summary>
/// The body of <c>train</c>: checks the inputs before any work, fits MapValueToKey(label) → text classifier →
/// MapKeyToValue(predicted label), saves the pipeline atomically, then measures it (on the validation data, or the
/// training data without one) and writes the report and metrics beside it. Ctrl+C cancels without writing anything.
/// </summary>
internal static class TrainRun
{
    /// <summary>The exit code of a run cancelled with Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code of a run that diverged (a NaN or infinite loss).</summary>
    public const int Diverged = 1;

    /// <summary>Runs <paramref name="settings"/>; returns the exit code.</summary>
    public static int Execute(TrainSettings settings)
    {
        var output = Path.GetFullPath(settings.OutputPath);
        if (!Directory.Exists(Path.GetDirectoryName(output))) throw new UserInputException($"--output {settings.OutputPath}: the folder does not exist.");
        var training = ReadLabelled(settings.DataPath, settings);
        var validation = settings.ValidationPath is null ? null : ReadLabelled(settings.ValidationPath, settings);
        RequireTrainable(training, settings.LabelColumn);
        var options = settings.ToTrainerOptions();

        var context = new TransformersContext(options.Seed);
        var labelMapping = context.Transforms.Conversion.MapValueToKey(settings.LabelColumn).Fit(InputView(training, settings));
        var classNames = labelMapping.KeyValues[settings.LabelColumn];
        if (validation is not null) ClassifierModel.RequireKnownLabels(validation, settings.LabelColumn, classNames);

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        TextClassificationTransformer classifier;
        try
        {
            var trainData = labelMapping.Transform(InputView(training, settings));
            var validationData = validation is null ? null : labelMapping.Transform(InputView(validation, settings));
            classifier = ProgressDisplay.Run(progress => context.MulticlassClassification.Trainers
                .TextClassification(options with { Progress = progress, CancellationToken = cancellation.Token })
                .Fit(trainData, validationData));
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("train: cancelled; no model was written.");
            return Cancelled;
        }
        catch (TrainingDivergedException error)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return Diverged;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        var pipeline = new TransformerChain<ITransformer>(labelMapping, classifier,
            new KeyToValueMappingTransformer([new InputOutputColumnPair(DefaultColumnNames.PredictedLabel, DefaultColumnNames.PredictedLabel)]));
        context.Model.Save(pipeline, InputView(training, settings).Schema, output);

        var saved = ClassifierModel.Load(output);
        var measured = validation ?? training;
        var metrics = EvaluateCommand.Evaluate(saved, measured);
        var measuredOn = $"{Path.GetFileName(measured.Path)} ({(validation is null ? "the training data" : "validation")}, {measured.RowCount} rows)";
        MetricsReport.Print(metrics, measuredOn);
        TrainingReport.Write(TrainingReport.PathFor(output), classifier.TrainingHistory ?? new TrainingHistory(), metrics, measuredOn,
            TrainSettings.Describe(options, settings.DataPath, settings.ValidationPath));
        using (var metricsFile = new AtomicFileWriter(Path.ChangeExtension(output, ".metrics.json")))
        {
            metricsFile.Writer.Write(MetricsReport.ToJson(metrics));
            metricsFile.Commit();
        }
        Console.WriteLine($"Saved {output} (report: {TrainingReport.PathFor(output)}).");
        return 0;
    }

    private static DataTable ReadLabelled(string path, TrainSettings settings)
    {
        var table = DataFileReader.Read(path, settings.Columns, allowPlainText: false);
        foreach (var column in new[] { settings.TextColumn, settings.PairColumn, settings.LabelColumn }.OfType<string>()) table.Column(column);
        return table;
    }

    /// <summary>The columns the pipeline reads, in the order the saved input schema keeps: text, pair, label.</summary>
    private static IDataView InputView(DataTable table, TrainSettings settings) =>
        table.ToDataView(new[] { settings.TextColumn, settings.PairColumn, settings.LabelColumn }.OfType<string>().Select(name => (name, name)));

    private static void RequireTrainable(DataTable training, string labelColumn)
    {
        if (training.RowCount == 0) throw new UserInputException($"{training.Path}: there are no rows to train on.");
        var labels = training.Column(labelColumn);
        if (labels.Distinct(StringComparer.Ordinal).Take(2).Count() < 2)
            throw new UserInputException($"{training.Path}: column '{labelColumn}' has only one class ('{labels[0]}'); a classifier needs at least two.");
    }
}
