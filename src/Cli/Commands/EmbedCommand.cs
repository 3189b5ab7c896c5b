using System.CommandLine;
using System.Globalization;
using System.Text;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Transforms;

namespace MLNet.Transformers.Cli.Commands;

/// <summary>
/// <c>embed --model DIR|FILE.onnx --input FILE --output FILE [--pooling mean|cls|max] [--normalize] [--max-length N] [--batch-size N] [--precision float32|int8]</c>:
/// one <c>{"embedding": [...]}</c> line per input, in input order; defaults follow the checkpoint's sentence-transformers
/// config. Truncated inputs are counted on stderr.
/// </summary>
internal static class EmbedCommand
{
    /// <summary>Inputs tokenized and sorted by length together; bounds memory on big inputs.</summary>
    private const int ChunkSize = 8192;

    private static readonly Dictionary<string, PoolingMode> Poolings = new()
    {
        ["mean"] = PoolingMode.Mean, ["cls"] = PoolingMode.Cls, ["max"] = PoolingMode.Max,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var modelOption = new Option<string>("--model") { Description = "A checkpoint directory (config.json, model.safetensors, tokenizer; sentence-transformers files optional), or a BERT-family .onnx file with its tokenizer.json or vocab.txt beside it.", Required = true };
        var inputOption = new Option<string>("--input") { Description = "A .txt (one text per line) or .jsonl ({\"text\": ..., \"text_pair\": ...} per line).", Required = true };
        var outputOption = new Option<string>("--output") { Description = "The .jsonl to write: {\"embedding\": [...]} per input, in input order.", Required = true };
        var poolingOption = new Option<string?>("--pooling") { Description = "Pooling of the token states; default: the checkpoint's (mean without one)." };
        poolingOption.AcceptOnlyFromAmong([.. Poolings.Keys]);
        var normalizeOption = new Option<bool>("--normalize") { Description = "Scale each vector to unit length; default: the checkpoint's (a Normalize module)." };
        var maxLengthOption = new Option<int?>("--max-length") { Description = "Longest input in tokens (longer ones are truncated and counted); default: the checkpoint's." };
        var batchSizeOption = new Option<int?>("--batch-size") { Description = $"Sequences per forward pass, sorted by length; default {TextEmbeddingOptions.DefaultBatchSize}." };
        var precisionOption = CommonOptions.PrecisionChoice("float32");

        var command = new Command("embed", "Turn texts into sentence embeddings with a BERT-family checkpoint.")
        {
            modelOption, inputOption, outputOption, poolingOption, normalizeOption, maxLengthOption, batchSizeOption, precisionOption,
        };
        command.SetAction(parse => CliErrors.Run(() => Run(parse.GetRequiredValue(inputOption), parse.GetRequiredValue(outputOption),
            new TextEmbeddingOptions
            {
                ModelPath = parse.GetRequiredValue(modelOption),
                Pooling = parse.GetValue(poolingOption) is { } pooling ? Poolings[pooling] : null,
                Normalize = parse.GetValue(normalizeOption) ? true : null,
                MaximumTokens = parse.GetValue(maxLengthOption),
                BatchSize = parse.GetValue(batchSizeOption) ?? TextEmbeddingOptions.DefaultBatchSize,
                Precision = CommonOptions.ParsePrecision(parse.GetValue(precisionOption)) ?? Precision.Float32,
            })));
        return command;
    }

    private static int Run(string inputPath, string outputPath, TextEmbeddingOptions options)
    {
        OptionCheck.ExistingCheckpoint("--model", options.ModelPath);
        ModelLimits.OfCheckpoint(options.ModelPath).CheckMaxLength(options.MaximumTokens);
        OptionCheck.AtLeast("--batch-size", options.BatchSize, 1);
        TextEmbedder embedder;
        try
        {
            embedder = TextEmbedder.FromPretrained(options);
        }
        catch (ArgumentException error)
        {
            // The checks above cover the options; this is the embedder's word on the checkpoint's own settings.
            throw new UserInputException($"{options.ModelPath}: {CliErrors.MessageOf(error)}");
        }

        var inputs = TextInputReader.Read(inputPath);
        using var output = new AtomicFileWriter(outputPath);
        var line = new StringBuilder();
        var count = 0L;
        foreach (var chunk in inputs.Chunk(ChunkSize))
        {
            var vectors = embedder.Embed([.. chunk.Select(input => input.Text)], [.. chunk.Select(input => input.Pair)]);
            foreach (var vector in vectors)
            {
                line.Clear().Append("{\"embedding\": [");
                for (var i = 0; i < vector.Length; i++)
                {
                    if (i > 0) line.Append(", ");
                    line.Append(vector[i].ToString("R", CultureInfo.InvariantCulture));
                }
                output.Writer.WriteLine(line.Append("]}"));
            }
            count += chunk.Length;
        }
        output.Commit();
        if (embedder.TruncatedCount > 0)
            Console.Error.WriteLine($"warning: {embedder.TruncatedCount} of {count} inputs were longer than {embedder.Settings.MaximumTokens} tokens and were truncated.");
        return 0;
    }
}
