using System.CommandLine;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Models.Generation;
using MLNet.Transformers.Transforms;

namespace MLNet.Transformers.Cli.Commands;

/// <summary>
/// <c>generate --model DIR (--prompt "..." | --prompts FILE [--batch-size N]) [--max-new-tokens N] [--temperature X]
/// [--top-k K] [--top-p P] [--repetition-penalty X] [--stop TEXT]... [--seed N] [--no-kv-cache]</c>: continues the
/// prompt with a GPT-2 checkpoint and prints the generated text (without the prompt), as it comes; or continues each
/// line of a file, generated in left-padded batches, and prints one JSON line <c>{"prompt": ..., "text": ...}</c> per
/// prompt, in order (each text is the one its prompt gets alone). Greedy unless a sampling option (--temperature,
/// --top-k, --top-p) is given.
/// </summary>
internal static class GenerateCommand
{
    /// <summary>Default of --batch-size: prompts of a --prompts file generated together.</summary>
    private const int DefaultBatchSize = 8;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A GPT-2 checkpoint directory (config.json with model_type gpt2, weights, vocab.json + merges.txt or tokenizer.json).", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "The text to continue (or give --prompts)." };
        var prompts = new Option<string>("--prompts") { Description = "A text file of prompts, one per line, continued in batches; prints {\"prompt\", \"text\"} JSON lines." };
        var batchSize = new Option<int?>("--batch-size") { Description = $"With --prompts: prompts generated together (default {DefaultBatchSize})." };
        var maxNewTokens = new Option<int?>("--max-new-tokens") { Description = $"The most tokens to generate (default {GenerationOptions.DefaultMaxNewTokens})." };
        var temperature = new Option<float?>("--temperature") { Description = "Sample, dividing the logits by this (below 1 sharper, above 1 flatter)." };
        var topK = new Option<int?>("--top-k") { Description = "Sample among the K most likely tokens." };
        var topP = new Option<float?>("--top-p") { Description = "Sample among the most likely tokens whose probabilities add up to P (nucleus sampling)." };
        var repetitionPenalty = new Option<float?>("--repetition-penalty") { Description = "Above 1, makes tokens already seen less likely (default 1: off)." };
        var stop = new Option<string[]>("--stop") { Description = "Stop before this text (repeat the option for several).", AllowMultipleArgumentsPerToken = false };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the sampling (default 0): the same seed gives the same text." };
        var noCache = new Option<bool>("--no-kv-cache") { Description = "Recompute the whole sequence for every token instead of caching keys and values (slower; same tokens)." };
        var command = new Command("generate", "Continue a prompt with a GPT-2 model and print the generated text.")
        {
            model, prompt, prompts, batchSize, maxNewTokens, temperature, topK, topP, repetitionPenalty, stop, seed, noCache,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var sampling = new SamplingSettings(parse.GetValue(temperature), parse.GetValue(topK), parse.GetValue(topP));
            var options = Options(parse.GetValue(maxNewTokens), sampling, parse.GetValue(repetitionPenalty), parse.GetValue(seed), !parse.GetValue(noCache));
            var (text, file) = (parse.GetValue(prompt), parse.GetValue(prompts));
            if ((text is null) == (file is null)) throw new UserInputException("Give either --prompt TEXT or --prompts FILE.");
            OptionCheck.AtLeast("--batch-size", parse.GetValue(batchSize), 1);
            var generator = Load(parse.GetRequiredValue(model));
            return text is not null
                ? Run(generator, text, options, parse.GetValue(stop) ?? [])
                : RunFile(generator, file!, parse.GetValue(batchSize) ?? DefaultBatchSize, options, parse.GetValue(stop) ?? []);
        }));
        return command;
    }

    /// <summary>The sampling options as given (null when left out).</summary>
    private sealed record SamplingSettings(float? Temperature, int? TopK, float? TopP)
    {
        public bool Any => Temperature is not null || TopK is not null || TopP is not null;
    }

    private static GenerationOptions Options(int? maxNewTokens, SamplingSettings sampling, float? repetitionPenalty, ulong? seed, bool cache)
    {
        var defaults = new GenerationOptions();
        OptionCheck.AtLeast("--max-new-tokens", maxNewTokens, 1);
        OptionCheck.Positive("--temperature", sampling.Temperature);
        OptionCheck.AtLeast("--top-k", sampling.TopK, 1);
        OptionCheck.Positive("--top-p", sampling.TopP);
        OptionCheck.Fraction("--top-p", sampling.TopP, oneAllowed: true);
        OptionCheck.Positive("--repetition-penalty", repetitionPenalty);
        return new GenerationOptions
        {
            MaxNewTokens = maxNewTokens ?? defaults.MaxNewTokens,
            Sample = sampling.Any,
            Temperature = sampling.Temperature ?? defaults.Temperature,
            TopK = sampling.TopK ?? defaults.TopK,
            TopP = sampling.TopP ?? defaults.TopP,
            RepetitionPenalty = repetitionPenalty ?? defaults.RepetitionPenalty,
            Seed = seed ?? defaults.Seed,
            UseKeyValueCache = cache,
        };
    }

    private static TextGenerator Load(string modelDirectory)
    {
        if (!Directory.Exists(modelDirectory)) throw new UserInputException($"--model {modelDirectory}: no such folder; give a GPT-2 checkpoint folder.");
        return TextGenerator.FromPretrained(modelDirectory);
    }

    /// <summary>Each line of <paramref name="path"/> continued, in batches of <paramref name="batchSize"/>, as JSON lines.</summary>
    private static int RunFile(TextGenerator generator, string path, int batchSize, GenerationOptions options, string[] stops)
    {
        if (!File.Exists(path)) throw new UserInputException($"--prompts {path}: no such file.");
        var lines = File.ReadAllLines(path);
        for (var start = 0; start < lines.Length; start += batchSize)
        {
            var batch = lines[start..Math.Min(lines.Length, start + batchSize)];
            IReadOnlyList<string> texts;
            try
            {
                texts = generator.Generate(batch, options, stops);
            }
            catch (ArgumentException error)
            {
                throw new UserInputException($"--prompts {path}, lines {start + 1}-{start + batch.Length}: {CliErrors.MessageOf(error)}");
            }
            for (var i = 0; i < batch.Length; i++)
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new GeneratedLine(batch[i], texts[i]), JsonLines));
        }
        return 0;
    }

    /// <summary>A line of --prompts output.</summary>
    private sealed record GeneratedLine(string Prompt, string Text);

    private static readonly System.Text.Json.JsonSerializerOptions JsonLines = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase };

    private static int Run(TextGenerator generator, string prompt, GenerationOptions options, string[] stops)
    {
        try
        {
            foreach (var piece in generator.GenerateStreamingAsync(prompt, options, stops).ToBlockingEnumerable()) Console.Write(piece);
        }
        catch (ArgumentException error)
        {
            throw new UserInputException($"--prompt: {CliErrors.MessageOf(error)}");
        }
        Console.WriteLine();
        return 0;
    }
}
