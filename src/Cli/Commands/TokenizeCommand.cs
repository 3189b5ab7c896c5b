using System.CommandLine;
using System.Text;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Cli.Commands;

/// <summary>
/// <c>tokenize --tokenizer PATH --input FILE --output FILE [--max-length N]</c>: one <c>{"ids": [...], "type_ids": [...]}</c>
/// line per input, in order, with the post-processor's special tokens, no padding, truncated only with <c>--max-length</c>.
/// </summary>
internal static class TokenizeCommand
{
    /// <summary>Inputs encoded (in parallel) per batch; bounds memory on big inputs.</summary>
    private const int BatchSize = 8192;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var tokenizerOption = new Option<string>("--tokenizer")
        {
            Description = "A checkpoint directory, a tokenizer.json, a vocab.txt (BERT WordPiece), or a folder with vocab.json + merges.txt (byte-level BPE).",
            Required = true,
        };
        var inputOption = new Option<string>("--input") { Description = "A .txt (one text per line) or .jsonl ({\"text\": ..., \"text_pair\": ...} per line).", Required = true };
        var outputOption = new Option<string>("--output") { Description = "The .jsonl to write: {\"ids\": [...], \"type_ids\": [...]} per input.", Required = true };
        var maxLengthOption = new Option<int?>("--max-length") { Description = "Truncate each encoding (special tokens included) to at most this many tokens." };

        var command = new Command("tokenize", "Turn texts into token ids exactly as the tokenizer's Hugging Face original does.")
        {
            tokenizerOption, inputOption, outputOption, maxLengthOption,
        };
        command.SetAction(parse => CliErrors.Run(() => Run(
            parse.GetRequiredValue(tokenizerOption), parse.GetRequiredValue(inputOption),
            parse.GetRequiredValue(outputOption), parse.GetValue(maxLengthOption))));
        return command;
    }

    private static int Run(string tokenizerPath, string inputPath, string outputPath, int? maxLength)
    {
        OptionCheck.AtLeast("--max-length", maxLength, 1);
        var tokenizer = Tokenizer.Load(tokenizerPath);
        var settings = new EncodingSettings { Truncation = maxLength is { } length ? new TruncationOptions { MaxLength = length } : null };

        using var output = new AtomicFileWriter(outputPath);
        var line = new StringBuilder();
        foreach (var batch in TextInputReader.Read(inputPath).Chunk(BatchSize))
        {
            IReadOnlyList<EncodingResult> encodings;
            try
            {
                encodings = tokenizer.EncodeBatch(batch.Select(input => (input.Text, input.Pair)).ToArray(), settings);
            }
            catch (ArgumentException error)
            {
                throw new UserInputException($"--max-length {maxLength}: {CliErrors.MessageOf(error)}");
            }
            foreach (var encoding in encodings)
            {
                line.Clear();
                line.Append("{\"ids\": [");
                AppendJoined(line, encoding.Ids);
                line.Append("], \"type_ids\": [");
                AppendJoined(line, encoding.TypeIds);
                line.Append("]}");
                output.Writer.WriteLine(line);
            }
        }
        output.Commit();
        return 0;
    }

    private static void AppendJoined(StringBuilder line, int[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) line.Append(", ");
            line.Append(values[i]);
        }
    }
}
