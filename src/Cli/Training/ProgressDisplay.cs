using System.Globalization;
using MLNet.Transformers.Trainers.Training;
using Spectre.Console;

namespace MLNet.Transformers.Cli.Training;

/// <summary>
/// Shows a training run's progress: a live Spectre.Console progress bar on an interactive terminal, plain progress
/// lines otherwise (CI logs, redirected output). Reports arrive synchronously on the training thread.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Plain mode prints a step line at most this often (validations and epoch ends always print).</summary>
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="train"/> with a progress sink suited to the console, and returns its result.</summary>
    public static T Run<T>(Func<IProgress<TrainingProgress>, T> train)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected) return train(new PlainProgress(Console.Out));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("preparing", maxValue: 1);
                result = train(new Callback(report => Update(task, report)));
            });
        return result;
    }

    /// <summary>One line describing <paramref name="report"/>.</summary>
    public static string Describe(TrainingProgress report)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"epoch {report.Epoch}/{report.Epochs} step {report.Step}/{report.TotalSteps} loss {report.Loss:0.0000} lr {report.LearningRate:0.##e0} {report.ExamplesPerSecond:0.#} ex/s");
        if (report.Eta is { } eta) text += $" eta {eta:hh\\:mm\\:ss}";
        if (report.Validation is { } v)
            text += string.Create(CultureInfo.InvariantCulture, $" | validation loss {v.Loss:0.0000}") +
                (v.Accuracy is { } a ? string.Create(CultureInfo.InvariantCulture, $" accuracy {a:0.0000}") : "");
        return text;
    }

    private static void Update(ProgressTask task, TrainingProgress report)
    {
        if (report.TotalSteps > 0) task.MaxValue = report.TotalSteps;
        task.Value = report.Step;
        task.Description = report.Phase == TrainingPhase.Preparing ? "preparing" : string.Create(CultureInfo.InvariantCulture,
            $"epoch {report.Epoch}/{report.Epochs} loss {report.Loss:0.000} {report.ExamplesPerSecond:0} ex/s");
        if (report.Phase == TrainingPhase.Validating) AnsiConsole.MarkupLine(Markup.Escape(Describe(report)));
    }

    private sealed class Callback(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    /// <summary>Plain progress lines: each phase change and validation, and steps every <see cref="PlainInterval"/>.</summary>
    private sealed class PlainProgress(TextWriter output) : IProgress<TrainingProgress>
    {
        private DateTime _lastLine = DateTime.MinValue;
        private int _lastEpoch;

        public void Report(TrainingProgress value)
        {
            var now = DateTime.UtcNow;
            bool due = value.Phase != TrainingPhase.Training || value.Epoch != _lastEpoch || value.Step == value.TotalSteps || now - _lastLine >= PlainInterval;
            if (!due) return;
            _lastLine = now;
            _lastEpoch = value.Epoch;
            output.WriteLine(value.Phase == TrainingPhase.Preparing ? "preparing" : $"{value.Phase.ToString().ToLowerInvariant()}: {Describe(value)}");
        }
    }
}
