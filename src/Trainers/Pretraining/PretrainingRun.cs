using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>What every pretraining objective does alike: tokenizing the corpus in chunks, and the training loop under a time limit.</summary>
internal static class PretrainingRun
{
    /// <summary>Texts tokenized together (in parallel).</summary>
    private const int EncodeChunk = 256;

    /// <summary>Whole texts (a tokenizer file's truncation and padding do not apply), without special tokens.</summary>
    private static readonly EncodingSettings CorpusEncoding = EncodingSettings.None with { AddSpecialTokens = false };

    /// <summary>The texts' token ids without special tokens, streamed.</summary>
    public static IEnumerable<int[]> Tokenize(Tokenizer tokenizer, IEnumerable<string> texts) =>
        texts.Chunk(EncodeChunk).SelectMany(chunk => tokenizer.EncodeBatch(chunk, CorpusEncoding)).Select(e => e.Ids);

    /// <summary>Packed sequences, at most <paramref name="maxSequences"/>, kept compactly.</summary>
    public static PackedSequences Collect(IEnumerable<int[]> sequences, int maxSequences)
    {
        var packed = new PackedSequences();
        foreach (var sequence in sequences.Take(maxSequences)) packed.Add(sequence);
        return packed;
    }

    /// <summary>Runs the loop; a run stopped by <see cref="PretrainingOptions.MaxDuration"/> returns its history so far.</summary>
    public static TrainingHistory Train(
        ITrainableModel trainable, Func<ValidationResult>? validate, PretrainingOptions options, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.MaxDuration is { } duration) limit.CancelAfter(duration);
        var recorder = new HistoryRecorder(options.Progress);
        var loop = new TrainingLoop(trainable, options with { Progress = recorder }, validate);
        try
        {
            return loop.Run(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            recorder.History.StopReason = "max-duration";
            return recorder.History;
        }
    }

    /// <summary>
    /// Writes a checkpoint directory atomically: <paramref name="write"/> fills a temporary sibling directory that then
    /// replaces <paramref name="directory"/>.
    /// </summary>
    public static void ReplaceDirectory(string directory, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var temporary = $"{full}.tmp-{suffix}";
        try
        {
            write(temporary);
            var previous = Directory.Exists(full) ? $"{full}.old-{suffix}" : null;
            if (previous is not null) Directory.Move(full, previous);
            Directory.Move(temporary, full);
            if (previous is not null) Directory.Delete(previous, recursive: true);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>Forwards progress and keeps the steps and validations, for a run stopped by its time limit.</summary>
    private sealed class HistoryRecorder(IProgress<TrainingProgress>? inner) : IProgress<TrainingProgress>
    {
        public TrainingHistory History { get; } = new();

        public void Report(TrainingProgress value)
        {
            if (value.Phase == TrainingPhase.Training)
                History.Steps.Add(new StepRecord(value.Step, value.Epoch, value.Loss, value.LearningRate));
            if (value.Phase == TrainingPhase.Validating && value.Validation is { } validation)
                History.Validations.Add(new ValidationRecord(value.Step, value.Epoch, validation));
            inner?.Report(value);
        }
    }
}
