using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Tests.Training;

/// <summary>An <see cref="IProgress{T}"/> that runs its handler on the reporting thread (Progress&lt;T&gt; posts asynchronously).</summary>
internal sealed class SynchronousProgress(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
{
    public List<TrainingProgress> Reports { get; } = [];

    public void Report(TrainingProgress value)
    {
        Reports.Add(value);
        handler(value);
    }
}
