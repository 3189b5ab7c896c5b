using System.CommandLine;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Models;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Trainers.Pretraining;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Cli.Commands;

/// <summary>
/// <c>pretrain --corpus PATH... --output DIR [--objective masked|causal] [--preset tiny|mini|small | --config FILE]
/// [--tokenizer PATH | --vocab-size N] [--max-steps N] [--max-minutes N] [--seed N] [--device cpu|torch:cpu|cuda[:N]] [--bf16]</c>: masked-LM (BERT) or causal-LM
/// (GPT-2) pretraining into a Hugging Face checkpoint directory.
/// </summary>
internal static class PretrainCommand
{
    /// <summary>Steps between two progress lines.</summary>
    private const int ReportEverySteps = 10;

    /// <summary>The values of <c>--objective</c>.</summary>
    private const string MaskedObjective = "masked", CausalObjective = "causal";

    /// <summary>The smallest vocabulary the pretrainer learns (its special tokens and a few pieces).</summary>
    private const int MinimumVocabularySize = 16;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var corpus = new Option<string[]>("--corpus")
        {
            Description = "Corpus .txt files (one text per line, or paragraphs separated by blank lines), .jsonl files ({\"text\": ...} per line), or directories of them.",
            Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--output") { Description = "The checkpoint directory to write (Hugging Face layout); replaced when it exists.", Required = true };
        var preset = new Option<string?>("--preset") { Description = $"Model size: {string.Join(", ", BertPresets.Names)} (default {PretrainingOptions.DefaultPreset})." };
        var config = new Option<string?>("--config") { Description = "A config.json (or a checkpoint directory) giving the model's sizes instead of a preset." };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "An existing BERT WordPiece tokenizer (tokenizer.json, vocab.txt, or a checkpoint directory)." };
        var vocabSize = new Option<int?>("--vocab-size") { Description = $"Learn a WordPiece vocabulary of this size on the corpus (default {PretrainingOptions.DefaultVocabularySize})." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Stop after this many optimizer steps." };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Stop training after this many minutes (the weights so far are saved)." };
        var seed = new Option<int?>("--seed") { Description = $"Seed of the split, initialisation, masking and order (default {TrainingOptions.DefaultSeed})." };
        var epochs = new Option<int?>("--epochs") { Description = $"Passes over the corpus (default {TrainingOptions.DefaultEpochs})." };
        var batchSize = new Option<int?>("--batch-size") { Description = $"Sequences per step (default {TrainingOptions.DefaultBatchSize})." };
        var maxLength = new Option<int?>("--max-length") { Description = $"Packed sequence length (default {PretrainingOptions.DefaultMaxLength}; at most the model's position table: {BertPresets.DefaultMaxPositionEmbeddings} for a preset, max_position_embeddings of a --config)." };
        var learningRate = new Option<float?>("--learning-rate") { Description = $"Peak learning rate (default {PretrainingOptions.DefaultPretrainingLearningRate})." };
        var wholeWord = new Option<bool>("--whole-word-masking") { Description = "Mask whole words (a token and its ## continuations together)." };
        var device = DeviceChoice.Create();
        var bf16 = DeviceChoice.MixedPrecision();
        var objective = new Option<string?>("--objective") { Description = $"{MaskedObjective} (BERT, the default) or {CausalObjective} (GPT-2: predict the next token)." };

        var command = new Command("pretrain", "Pretrain a BERT masked or a GPT-2 causal language model on your own text.")
        {
            corpus, output, objective, preset, config, tokenizer, vocabSize, maxSteps, maxMinutes, seed, epochs, batchSize, maxLength, learningRate, wholeWord, device, bf16,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(CliErrors.Run(() =>
        {
            var options = new PretrainingOptions
            {
                Corpus = parse.GetRequiredValue(corpus),
                ConfigPath = parse.GetValue(config),
                TokenizerPath = parse.GetValue(tokenizer),
                MaxSteps = parse.GetValue(maxSteps),
                MaxDuration = parse.GetValue(maxMinutes) is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
                Masking = new MaskingOptions { WholeWordMasking = parse.GetValue(wholeWord) },
                Progress = new ProgressPrinter(),
                Objective = ParseObjective(parse.GetValue(objective)),
            };
            if (options.ConfigPath is not null && parse.GetValue(preset) is not null) throw new UserInputException("--preset and --config: give one of them, not both.");
            if (options.TokenizerPath is not null && parse.GetValue(vocabSize) is not null) throw new UserInputException("--tokenizer and --vocab-size: give one of them, not both.");
            if (parse.GetValue(preset) is { } name)
            {
                if (!BertPresets.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
                    throw new UserInputException($"--preset {name}: expected one of {string.Join(", ", BertPresets.Names)}.");
                options.Preset = name;
            }
            foreach (var file in options.Corpus.Where(File.Exists)) TextFileCheck.RequireText(file);
            OptionCheck.ExistingFileOrDirectory("--config", options.ConfigPath, "a config.json or a checkpoint folder");
            OptionCheck.ExistingFileOrDirectory("--tokenizer", options.TokenizerPath, "a tokenizer.json, a vocab.txt or a checkpoint folder");
            OptionCheck.AtLeast("--max-steps", options.MaxSteps, 1);
            OptionCheck.Positive("--max-minutes", parse.GetValue(maxMinutes));
            OptionCheck.AtLeast("--vocab-size", parse.GetValue(vocabSize), MinimumVocabularySize);
            OptionCheck.AtLeast("--epochs", parse.GetValue(epochs), 1);
            OptionCheck.AtLeast("--batch-size", parse.GetValue(batchSize), 1);
            OptionCheck.Positive("--learning-rate", parse.GetValue(learningRate));
            options.Device = DeviceChoice.Check(parse.GetValue(device));
            options.TrainingPrecision = DeviceChoice.Precision(parse.GetValue(bf16), options.Device);
            if (options.Objective == PretrainingObjective.Causal && parse.GetValue(wholeWord))
                throw new UserInputException($"--whole-word-masking: masks nothing with --objective {CausalObjective}.");
            // A GPT-2 --config's n_positions is checked by the pretrainer, which reads it as GPT-2's.
            var limits = options.ConfigPath is { } configPath
                ? options.Objective == PretrainingObjective.Masked ? ModelLimits.OfCheckpoint(configPath) : null
                : ModelLimits.OfPreset(options.Preset);
            limits?.CheckMaxLength(parse.GetValue(maxLength));
            if (parse.GetValue(vocabSize) is { } size) options.VocabularySize = size;
            if (parse.GetValue(seed) is { } s) options.Seed = s;
            if (parse.GetValue(epochs) is { } e) options.Epochs = e;
            if (parse.GetValue(batchSize) is { } b) options.BatchSize = b;
            if (parse.GetValue(maxLength) is { } l) options.MaxLength = l;
            if (parse.GetValue(learningRate) is { } r) options.LearningRate = r;
            return Run(options, parse.GetRequiredValue(output), cancellation);
        })));
        return command;
    }

    private static PretrainingObjective ParseObjective(string? name) => name switch
    {
        null or MaskedObjective => PretrainingObjective.Masked,
        CausalObjective => PretrainingObjective.Causal,
        _ => throw new UserInputException($"--objective {name}: expected {MaskedObjective} or {CausalObjective}."),
    };

    private static int Run(PretrainingOptions options, string output, CancellationToken cancellation)
    {
        if (options.Objective == PretrainingObjective.Causal)
        {
            var causal = Checked(() => new CausalLanguageModelPretrainer(options)).Fit(cancellation);
            causal.Save(output);
            return Summarize(causal.TrainingTokens, causal.History, causal.HeldOutPerplexity, output);
        }
        var masked = Checked(() => new MaskedLanguageModelPretrainer(options)).Fit(cancellation);
        masked.Save(output);
        return Summarize(masked.TrainingTokens, masked.History, masked.HeldOutPerplexity, output);
    }

    /// <summary>A pretrainer built from the options, its own word on an invalid option as bad input.</summary>
    private static T Checked<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException error)
        {
            // The checks above cover every option the command line sets; this is the pretrainer's word on anything else.
            throw new UserInputException($"invalid pretraining option: {CliErrors.MessageOf(error)}");
        }
    }

    private static int Summarize(long tokens, TrainingHistory history, double? heldOutPerplexity, string output)
    {
        var perplexity = heldOutPerplexity is { } p ? $"held-out perplexity {p:F2}" : "no held-out text";
        Console.WriteLine($"Pretrained on {tokens} tokens in {history.Steps.Count} steps ({history.StopReason}); {perplexity}; saved {output}");
        return 0;
    }

    /// <summary>Prints a progress line every few steps and at every perplexity measurement.</summary>
    private sealed class ProgressPrinter : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Phase == TrainingPhase.Validating && value.Validation is { } validation)
                Console.WriteLine($"step {value.Step,6}  held-out loss {validation.Loss:F4}  perplexity {validation.MetricValue:F2}");
            else if (value.Phase == TrainingPhase.Training && value.Step % ReportEverySteps == 0)
                Console.WriteLine($"step {value.Step,6}/{value.TotalSteps}  loss {value.Loss:F4}  lr {value.LearningRate:E2}  {value.ExamplesPerSecond:F1} sequences/s  eta {value.Eta:hh\\:mm\\:ss}");
        }
    }
}
