using System.CommandLine;
using MLNet.Transformers.Cli.Commands;

namespace MLNet.Transformers.Cli;

/// <summary>Every sub-command of the <c>mlnet-transformers</c> tool, one line each.</summary>
internal static class CommandCatalog
{
    /// <summary>The sub-commands in the order <c>--help</c> lists them.</summary>
    public static IEnumerable<Command> All() =>
    [
        TokenizeCommand.Create(),
        EmbedCommand.Create(),
        TrainCommand.Create(),
        EvaluateCommand.Create(),
        PredictCommand.Create(),
        PretrainCommand.Create(),
        FillMaskCommand.Create(),
        GenerateCommand.Create(),
        ExportOnnxCommand.Create(),
        AttentionCommand.Create(),
    ];
}
