using System.CommandLine;
using MLNet.Transformers.Cli;

var root = new RootCommand("Transformer encoders for .NET pipelines: tokenize, embed, train, evaluate, predict.");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
