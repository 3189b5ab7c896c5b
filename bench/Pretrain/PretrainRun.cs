using System.Globalization;
using MLNet.Transformers.Trainers.Pretraining;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Bench.Pretrain;

/// <summary>
/// Pretrains through <see cref="MaskedLanguageModelPretrainer"/> for a time budget and saves the checkpoint; prints
/// the held-out perplexity curve (<c>curve step=perplexity ...</c>) and <c>perplexity=X steps=N tokens=T sequences_per_second=R</c>.
/// </summary>
internal static class PretrainRun
{
    public static void Run(Arguments arguments)
    {
        var printer = new Printer();
        var options = new PretrainingOptions
        {
            Corpus = arguments.Many("--corpus"),
            Preset = arguments.Text("--preset") ?? PretrainingOptions.DefaultPreset,
            ConfigPath = arguments.Text("--config"),
            LearningRate = (float)arguments.Double("--learning-rate", PretrainingOptions.DefaultPretrainingLearningRate),
            VocabularySize = arguments.Int("--vocab-size", PretrainingOptions.DefaultVocabularySize),
            MaxLength = arguments.Int("--tokens", PretrainingOptions.DefaultMaxLength),
            BatchSize = arguments.Int("--batch", 32),
            Epochs = arguments.Int("--epochs", 1),
            MaxSteps = arguments.Int("--max-steps", int.MaxValue),
            MaxDuration = TimeSpan.FromMinutes(arguments.Double("--minutes", 30)),
            ValidateEverySteps = arguments.Int("--validate-every", 50),
            DegreeOfParallelism = arguments.Int("--threads", 2),
            RestoreBestWeights = false,
            Progress = printer,
        };
        var result = new MaskedLanguageModelPretrainer(options).Fit();
        result.Save(arguments.Required("--output"));
        var curve = result.History.Validations.Select(v => $"{v.Step}={v.Result.MetricValue!.Value.ToString("F2", CultureInfo.InvariantCulture)}");
        Console.WriteLine($"curve {string.Join(' ', curve)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"perplexity={result.HeldOutPerplexity:F2} steps={result.History.Steps.Count} tokens={result.TrainingTokens} sequences_per_second={printer.SequencesPerSecond:F1}"));
    }

    private sealed class Printer : IProgress<TrainingProgress>
    {
        /// <summary>The training throughput at the last validation.</summary>
        public double SequencesPerSecond { get; private set; }

        public void Report(TrainingProgress value)
        {
            if (value.Phase == TrainingPhase.Validating) SequencesPerSecond = value.ExamplesPerSecond;
            if (value.Phase == TrainingPhase.Validating)
                Console.Error.WriteLine($"step {value.Step}: loss {value.Loss:F3}, held-out perplexity {value.Validation!.MetricValue:F2}, {value.ExamplesPerSecond:F1} sequences/s");
        }
    }
}
