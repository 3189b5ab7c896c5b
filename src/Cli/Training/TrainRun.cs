using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Cli.Classification;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Cli.Data;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Cli.Training;

/// <summary>
/// The body of <c>train</c>: checks the options and inputs before any work, fits ML.NET's MapValueToKey(label) → text
/// classifier → MapKeyToValue(PredictedLabel), prints the warnings ML.NET's log received (one <c>warning:</c> line
/// each, e.g. the weights a checkpoint lacked), saves the pipeline with ML.NET's model saver (atomically), then measures
/// the saved model (on the validation data, or the training data without one) and writes the report and metrics
/// beside it. Ctrl+C cancels without writing anything.
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
        var options = settings.ToTrainerOptions();
        using var output = new AtomicFileWriter(settings.OutputPath);
        var columns = new ClassifierColumns(settings.TextColumn, settings.PairColumn, settings.LabelColumn);
        var training = ReadLabelled(settings.DataPath, settings);
        var validation = settings.ValidationPath is null ? null : ReadLabelled(settings.ValidationPath, settings);
        RequireTrainable(training, settings.LabelColumn);

        var ml = new MLContext(options.Seed);
        using var warnings = new LogWarnings(ml);
        var trainView = View(ml, columns, training);
        var labelMapping = ml.Transforms.Conversion.MapValueToKey(settings.LabelColumn).Fit(trainView);
        if (validation is not null) ClassifierModel.RequireKnownLabels(validation, settings.LabelColumn, KeyValues(labelMapping, trainView, settings.LabelColumn));

        var trainData = labelMapping.Transform(trainView);
        var validationData = validation is null ? null : labelMapping.Transform(View(ml, columns, validation));
        TextClassificationTransformer classifier;
        try
        {
            classifier = Fit(ml, options, trainData, validationData);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("train: cancelled; no model was written.");
            return Cancelled;
        }
        catch (TrainingDivergedException error)
        {
            Console.Error.WriteLine($"error: {CliErrors.OneLine(error.Message)}");
            return Diverged;
        }
        warnings.Print();
        if (classifier.TrainingHistory?.TruncatedRowCount is > 0 and var truncated)
            Console.Error.WriteLine($"warning: {truncated} of {training.RowCount} training rows were longer than {options.MaxTokens} tokens and were truncated.");

        var pipeline = new TransformerChain<ITransformer>(labelMapping, classifier,
            ml.Transforms.Conversion.MapKeyToValue(classifier.PredictedLabelColumnName).Fit(classifier.Transform(trainData)));
        ml.Model.Save(pipeline, trainView.Schema, output.Stream);
        output.Commit();

        var saved = ClassifierModel.Load(output.Path);
        var measured = validation ?? training;
        var metrics = saved.Evaluate(measured);
        var measuredOn = $"{Path.GetFileName(measured.Path)} ({(validation is null ? "the training data" : "validation")}, {measured.RowCount} rows)";
        MetricsReport.Print(metrics, measuredOn);
        TrainingReport.Write(TrainingReport.PathFor(output.Path), classifier.TrainingHistory ?? new TrainingHistory(), metrics, measuredOn,
            TrainSettings.Describe(options, settings.DataPath, settings.ValidationPath));
        using (var metricsFile = new AtomicFileWriter(Path.ChangeExtension(output.Path, ".metrics.json")))
        {
            metricsFile.Writer.Write(MetricsReport.ToJson(metrics));
            metricsFile.Commit();
        }
        Console.WriteLine($"Saved {settings.OutputPath} (report: {TrainingReport.PathFor(output.Path)}).");
        return 0;
    }

    /// <summary>Trains the classifier with a progress display; Ctrl+C cancels it (<see cref="OperationCanceledException"/>).</summary>
    private static TextClassificationTransformer Fit(MLContext ml, TextClassificationOptions options, IDataView trainData, IDataView? validationData)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return ProgressDisplay.Run(progress => ml.MulticlassClassification.Trainers
                .TextClassification(options with { Progress = progress, CancellationToken = cancellation.Token, ValidationSet = validationData })
                .Fit(trainData));
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static DataTable ReadLabelled(string path, TrainSettings settings)
    {
        var table = DataFileReader.Read(path, settings.Columns, allowPlainText: false);
        foreach (var column in new[] { settings.TextColumn, settings.PairColumn, settings.LabelColumn }.OfType<string>()) table.Column(column);
        return table;
    }

    /// <summary>The columns the pipeline reads, in the order the saved input schema keeps: text, pair, label.</summary>
    private static IDataView View(MLContext ml, ClassifierColumns columns, DataTable table) =>
        columns.View(ml, table.Column(columns.Text), columns.Pair is { } pair ? table.Column(pair) : null, table.Column(columns.Label));

    /// <summary>The classes the label mapping learnt, in key order.</summary>
    private static string[] KeyValues(ITransformer labelMapping, IDataView data, string labelColumn)
    {
        var keys = default(VBuffer<ReadOnlyMemory<char>>);
        labelMapping.GetOutputSchema(data.Schema)[labelColumn].GetKeyValues(ref keys);
        return [.. keys.DenseValues().Select(value => value.ToString())];
    }

    private static void RequireTrainable(DataTable training, string labelColumn)
    {
        if (training.RowCount == 0) throw new UserInputException($"{training.Path}: there are no rows to train on.");
        var labels = training.Column(labelColumn);
        if (labels.Distinct(StringComparer.Ordinal).Take(2).Count() < 2)
            throw new UserInputException($"{training.Path}: column '{labelColumn}' has only one class ('{labels[0]}'); a classifier needs at least two.");
    }
}
