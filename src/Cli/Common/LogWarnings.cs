using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNet.Transformers.Cli.Common;

/// <summary>
/// Collects the warnings ML.NET components write to an <see cref="MLContext"/>'s log while it is alive (e.g. the
/// trainer's "Some weights ... are newly initialized"), so a command prints them once its progress display is gone.
/// </summary>
internal sealed class LogWarnings : IDisposable
{
    private readonly MLContext _context;
    private readonly List<string> _messages = [];

    /// <summary>Starts listening to <paramref name="context"/>'s log.</summary>
    public LogWarnings(MLContext context)
    {
        _context = context;
        _context.Log += OnLog;
    }

    /// <summary>The warnings so far, in the order written.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages) return [.. _messages];
        }
    }

    /// <summary>Prints each warning so far as one <c>warning: ...</c> line on stderr.</summary>
    public void Print()
    {
        foreach (var message in Messages) Console.Error.WriteLine($"warning: {CliErrors.OneLine(message)}");
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => _context.Log -= OnLog;

    private void OnLog(object? sender, LoggingEventArgs e)
    {
        if (e.Kind != ChannelMessageKind.Warning) return;
        lock (_messages) _messages.Add(e.RawMessage);
    }
}
