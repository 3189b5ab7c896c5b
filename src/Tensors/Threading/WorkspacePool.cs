using System.Collections.Concurrent;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Workspaces (an inference session and its buffers) shared by concurrent callers: a call takes an idle one, or creates
/// one when none is idle, and gives it back when done, so there are never more than the calls that ran at once.
/// </summary>
/// <typeparam name="T">The workspace.</typeparam>
/// <param name="create">Makes a new workspace.</param>
public sealed class WorkspacePool<T>(Func<T> create)
{
    private readonly ConcurrentBag<T> _idle = [];

    /// <summary>Runs <paramref name="body"/> on a workspace no other call is using.</summary>
    public void Use(Action<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!_idle.TryTake(out var workspace)) workspace = create();
        try
        {
            body(workspace);
        }
        finally
        {
            _idle.Add(workspace);
        }
    }
}
