using System.CommandLine;
using System.CommandLine.Parsing;
using MLNet.Transformers.Cli;
using MLNet.Transformers.Cli.Common;

var root = new RootCommand("Transformer encoders for .NET pipelines: tokenize, embed, train, evaluate, predict, export to ONNX.");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // A malformed command line is bad input like any other: one line per problem, exit code 2.
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine($"error: {CliErrors.OneLine(error.Message)}");
    return CliErrors.BadInput;
}
if (parsed.CommandResult.Children.OfType<OptionResult>().FirstOrDefault(o => o.Tokens.Any(t => t.Value.Length == 0)) is { } empty)
{
    // No option takes an empty value (an unset shell variable, say): said here once, for every option.
    Console.Error.WriteLine($"error: {empty.Option.Name}: the value is empty.");
    return CliErrors.BadInput;
}
return await parsed.InvokeAsync();
