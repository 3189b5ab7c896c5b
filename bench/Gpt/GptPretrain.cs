using System.Globalization;
using MLNet.Transformers.Cli.Training;
using MLNet.Transformers.Models.Generation;
using MLNet.Transformers.Trainers.Pretraining;
using MLNet.Transformers.Trainers.Training;
using MLNet.Transformers.Transforms;

namespace MLNet.Transformers.Bench.Gpt;

/// <summary>
/// Pretrains a GPT-2 through <see cref="CausalLanguageModelPretrainer"/> for a time budget and saves the checkpoint;
/// writes the held-out perplexity curve as SVG (<c>--svg</c>) and prints it (<c>curve step=perplexity ...</c>), sample
/// generations (<c>sample</c> lines: the prompt, then greedy and sampled continuations), and
/// <c>perplexity=X steps=N tokens=T sequences_per_second=R</c>.
/// </summary>
internal static class GptPretrain
{
    private static readonly string[] Prompts = ["The state of the Union is", "Our foreign policy", "The Congress should"];

    /// <summary>New tokens of each sample.</summary>
    private const int SampleTokens = 40;

    public static void Run(Arguments arguments)
    {
        var printer = new Printer();
        var options = new PretrainingOptions
        {
            Objective = PretrainingObjective.Causal,
            Corpus = arguments.Many("--corpus"),
            ConfigPath = arguments.Required("--config"),
            LearningRate = (float)arguments.Double("--learning-rate", PretrainingOptions.DefaultPretrainingLearningRate),
            VocabularySize = arguments.Int("--vocab-size", PretrainingOptions.DefaultVocabularySize),
            MaxLength = arguments.Int("--tokens", 256),
            BatchSize = arguments.Int("--batch", 8),
            Epochs = arguments.Int("--epochs", 1000),
            MaxSteps = arguments.Int("--max-steps", int.MaxValue),
            MaxDuration = TimeSpan.FromMinutes(arguments.Double("--minutes", 30)),
            ValidateEverySteps = arguments.Int("--validate-every", 50),
            DegreeOfParallelism = arguments.Int("--threads", 2),
            RestoreBestWeights = false,
            Seed = 1,
            Progress = printer,
        };
        var result = new CausalLanguageModelPretrainer(options).Fit();
        var output = arguments.Required("--output");
        result.Save(output);
        var curve = result.History.Validations.Select(v => (X: (double)v.Step, Y: v.Result.MetricValue!.Value)).ToList();
        if (arguments.Text("--svg") is { } svg)
            File.WriteAllText(svg, SvgChart.Lines("GPT-2 held-out perplexity", "step", [new SvgChart.Series("held-out perplexity", "#1f77b4", curve)]));
        Console.WriteLine($"curve {string.Join(' ', curve.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X}={p.Y:F2}")))}");
        var generator = TextGenerator.FromPretrained(output);
        foreach (var prompt in Prompts)
        {
            var greedy = generator.Generate(prompt, new GenerationOptions { MaxNewTokens = SampleTokens, RepetitionPenalty = 1.3f });
            var sampled = generator.Generate(prompt, new GenerationOptions { MaxNewTokens = SampleTokens, Sample = true, Temperature = 0.8f, TopK = 40, Seed = 1 });
            Console.WriteLine($"sample {prompt}\t{Line(greedy)}\t{Line(sampled)}");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"perplexity={result.HeldOutPerplexity:F2} steps={result.History.Steps.Count} tokens={result.TrainingTokens} sequences_per_second={printer.SequencesPerSecond:F1}"));
    }

    /// <summary>A generation on one line (for the tab-separated sample lines and a markdown table).</summary>
    private static string Line(string text) => text.Replace('\n', ' ').Replace('\t', ' ').Replace("|", "\\|", StringComparison.Ordinal);

    private sealed class Printer : IProgress<TrainingProgress>
    {
        /// <summary>The training throughput at the last validation.</summary>
        public double SequencesPerSecond { get; private set; }

        public void Report(TrainingProgress value)
        {
            if (value.Phase != TrainingPhase.Validating) return;
            SequencesPerSecond = value.ExamplesPerSecond;
            Console.Error.WriteLine($"step {value.Step}: loss {value.Loss:F3}, held-out perplexity {value.Validation!.MetricValue:F2}, {value.ExamplesPerSecond:F1} sequences/s");
        }
    }
}
