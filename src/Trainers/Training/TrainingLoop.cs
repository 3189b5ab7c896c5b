using System.Diagnostics;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Training;

/// <summary>
/// Trains an <see cref="ITrainableModel"/>: epochs of seeded batches, AdamW (weights decay, biases and LayerNorm do
/// not), linear warmup then linear or cosine decay, global-norm clipping, gradient accumulation, validation with
/// early stopping and restore of the best weights, progress reports, cancellation, and checkpoints from which a
/// resumed run ends bit-identical to an uninterrupted one (same seed and thread count). The parameters stay on the
/// model's backend for the whole run (<see cref="DeviceAdamW"/>: gradients, clipping and updates on the device); the
/// host copies are brought up to date only to validate, to write a checkpoint and at the end.
/// </summary>
public sealed class TrainingLoop
{
    private const ulong DropoutSalt = 0xD50F0017UL;

    private readonly ITrainableModel _model;
    private readonly TrainingOptions _options;
    private readonly Func<ValidationResult>? _validate;

    /// <summary>Prepares a run; nothing is computed until <see cref="Run"/>.</summary>
    /// <param name="model">The model and its training examples.</param>
    /// <param name="options">The options; validated here.</param>
    /// <param name="validate">Evaluates the current weights on held-out data, or null for no validation.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The model has no training examples.</exception>
    public TrainingLoop(ITrainableModel model, TrainingOptions options, Func<ValidationResult>? validate = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (model.ExampleCount == 0) throw new ArgumentException("The training set is empty.", nameof(model));
        _model = model;
        _options = options;
        _validate = validate;
        StepsPerEpoch = BatchPlan.ForEpoch(model, options, 0).Length;
        TotalSteps = Math.Min(StepsPerEpoch * options.Epochs, options.MaxSteps ?? int.MaxValue);
    }

    /// <summary>Optimizer steps in one epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>Optimizer steps planned: all epochs, or <see cref="TrainingOptions.MaxSteps"/> when that is fewer (what the schedule spans).</summary>
    public int TotalSteps { get; }

    /// <summary>The directory of the last checkpoint written or resumed from, or null.</summary>
    public string? LastCheckpoint { get; private set; }

    /// <summary>The learning rate the run uses: the option, or <see cref="TrainingOptions.DefaultLearningRate"/>.</summary>
    public float LearningRate => _options.LearningRate ?? TrainingOptions.DefaultLearningRate;

    /// <summary>
    /// Runs the training (continuing from the latest checkpoint of the same run when allowed) and returns its
    /// history. The model holds the final weights (the best validation's when restored).
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; a checkpoint of the last finished step is written first when a checkpoint directory is set.</exception>
    /// <exception cref="TrainingDivergedException">A loss or gradient became NaN or infinite.</exception>
    /// <exception cref="InvalidDataException">The checkpoint directory holds a checkpoint of another run.</exception>
    public TrainingHistory Run(CancellationToken cancellationToken = default) =>
        _options.DegreeOfParallelism is { } degree
            ? Parallelism.WithDegree(degree, () => RunCore(cancellationToken))
            : RunCore(cancellationToken);

    private TrainingHistory RunCore(CancellationToken cancellationToken)
    {
        var options = _options;
        var trainable = _model.TrainableParameters;
        var backend = _model.Backend;
        var device = _model.DeviceParameters;
        using var optimizer = new DeviceAdamW(backend, trainable, DeviceParameterMap.Align(backend, trainable, device),
            new AdamWOptions { WeightDecay = options.WeightDecay });
        var warmup = (int)Math.Ceiling(options.WarmupRatio * TotalSteps);
        var schedule = new LearningRateSchedule(LearningRate, warmup, TotalSteps, options.Schedule);
        var (state, best) = Resume(optimizer.Host);
        backend.PushValues(device);
        optimizer.SyncToDevice();
        var run = new RunClock(state.Step, TotalSteps);
        using (backend.KeepOnDevice(device))
        {
            try
            {
                best = TrainSteps(optimizer, device, schedule, state, best, run, cancellationToken);
            }
            finally
            {
                optimizer.SyncToHost(moments: false);
            }
        }
        state.History.StopReason ??= state.Step >= StepsPerEpoch * options.Epochs ? "completed" : "max-steps";
        if (best is not null && options.RestoreBestWeights)
        {
            for (var i = 0; i < trainable.Count; i++) trainable[i].Load(best[i]);
            backend.PushValues(device);
            state.History.BestStep = state.BestStep;
        }
        var last = state.History.Steps.LastOrDefault();
        Report(TrainingPhase.Completed, state, run, last?.Loss ?? double.NaN, last?.LearningRate ?? 0);
        return state.History;
    }

    private int? LastCheckpointStep { get; set; }

    /// <summary>
    /// The steps from <paramref name="state"/>'s until the planned last one or a stop, on the device; returns the best
    /// weights so far.
    /// </summary>
    private float[][]? TrainSteps(DeviceAdamW optimizer, IReadOnlyList<DeviceParameter> device, LearningRateSchedule schedule,
        TrainingState state, float[][]? best, RunClock run, CancellationToken cancellationToken)
    {
        var options = _options;
        int[][]? plan = null;
        var planEpoch = -1;
        while (state.Step < TotalSteps && state.History.StopReason is null)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                if (options.CheckpointDirectory is not null && LastCheckpointStep != state.Step) Checkpoint(optimizer, state, best);
                cancellationToken.ThrowIfCancellationRequested();
            }
            var epoch = state.Step / StepsPerEpoch;
            if (epoch != planEpoch) (plan, planEpoch) = (BatchPlan.ForEpoch(_model, options, epoch), epoch);
            var batch = plan![state.Step % StepsPerEpoch];
            var loss = ComputeGradients(device, batch, state.Step);
            if (!double.IsFinite(loss)) throw new TrainingDivergedException(state.Step + 1, "loss", LastCheckpoint);
            var norm = optimizer.ClipGlobalNorm(options.MaxGradientNorm > 0 ? options.MaxGradientNorm : float.PositiveInfinity);
            if (!float.IsFinite(norm)) throw new TrainingDivergedException(state.Step + 1, "gradient norm", LastCheckpoint);
            var rate = schedule.At(state.Step);
            optimizer.Step(rate);
            state.Step++;
            state.OptimizerSteps = optimizer.Host.Steps;
            state.History.Steps.Add(new StepRecord(state.Step, epoch + 1, loss, rate));
            run.Add(batch.Length);
            Report(TrainingPhase.Training, state, run, loss, rate);
            var endOfEpoch = state.Step % StepsPerEpoch == 0;
            if (_validate is not null && (endOfEpoch || (options.ValidateEverySteps > 0 && state.Step % options.ValidateEverySteps == 0)))
            {
                optimizer.SyncToHost(moments: false);
                best = Validate(state, best, run, loss, rate);
            }
            if (options.CheckpointDirectory is not null && options.CheckpointEverySteps > 0 && state.Step % options.CheckpointEverySteps == 0)
            {
                Checkpoint(optimizer, state, best);
                Report(TrainingPhase.Checkpointing, state, run, loss, rate);
            }
        }
        return best;
    }

    /// <summary>
    /// Zeroes the gradients on the device, then forward and backward over the step's micro-batches, the gradients
    /// adding up on the device; returns the step's mean loss.
    /// </summary>
    private double ComputeGradients(IReadOnlyList<DeviceParameter> device, int[] batch, int step)
    {
        foreach (var parameter in device) _model.Backend.Fill(parameter.Gradient, 0f);
        var micro = _options.GradientAccumulationSteps;
        double loss = 0;
        for (var m = 0; m < micro; m++)
        {
            var (start, end) = Parallelism.PartRange(batch.Length, micro, m);
            if (start == end) continue;
            var scale = (float)(end - start) / batch.Length;
            _model.ReseedRandomness(SeedMixer.Mix(_options.SeedOrDefault, DropoutSalt, (ulong)step * (ulong)micro + (ulong)m));
            loss += scale * (double)_model.ForwardBackward(batch.AsSpan(start, end - start), scale);
        }
        return loss;
    }

    /// <summary>Validates the host weights (brought up to date by the caller); keeps a copy of them when they are the best so far.</summary>
    private float[][]? Validate(TrainingState state, float[][]? best, RunClock run, double loss, float rate)
    {
        var result = _validate!();
        var epoch = (state.Step - 1) / StepsPerEpoch + 1;
        state.History.Validations.Add(new ValidationRecord(state.Step, epoch, result));
        if (result.IsBetterThan(state.BestValidation))
        {
            state.BestValidation = result;
            state.BestStep = state.Step;
            state.ValidationsWithoutImprovement = 0;
            best = [.. _model.TrainableParameters.Select(p => p.Value.Span.ToArray())];
        }
        else if (++state.ValidationsWithoutImprovement >= (_options.EarlyStoppingPatience ?? int.MaxValue))
        {
            state.History.StopReason = "early-stopping";
        }
        Report(TrainingPhase.Validating, state, run, loss, rate, result);
        return best;
    }

    private (TrainingState State, float[][]? Best) Resume(AdamW optimizer)
    {
        var fingerprint = Fingerprint();
        if (_options.CheckpointDirectory is not { } root || !_options.ResumeFromCheckpoint
            || TrainingCheckpoint.Latest(root) is not { } latest)
            return (new TrainingState { Fingerprint = fingerprint }, null);
        var (state, best) = TrainingCheckpoint.Load(latest, _model, optimizer);
        if (state.Fingerprint != fingerprint)
            throw new InvalidDataException(
                $"{latest}: the checkpoint belongs to another run ({state.Fingerprint}); this run is {fingerprint}. "
                + "Use another checkpoint directory or turn resuming off.");
        LastCheckpoint = latest;
        LastCheckpointStep = state.Step;
        return (state, best);
    }

    /// <summary>Brings the host weights and moments up to date and writes them.</summary>
    private void Checkpoint(DeviceAdamW optimizer, TrainingState state, float[][]? best)
    {
        optimizer.SyncToHost();
        LastCheckpoint = TrainingCheckpoint.Save(_options.CheckpointDirectory!, _model, optimizer.Host, state, best);
        LastCheckpointStep = state.Step;
    }

    /// <summary>What must match for a checkpoint to continue this run.</summary>
    private string Fingerprint() =>
        $"examples={_model.ExampleCount} parameters={_model.Parameters.Count} trainable={_model.TrainableParameters.Count} "
        + $"batch={_options.BatchSize} epochs={_options.Epochs} seed={_options.SeedOrDefault} lr={LearningRate} "
        + $"accumulation={_options.GradientAccumulationSteps} bucketing={_options.LengthBucketing}{_options.RunSettings}";

    private void Report(TrainingPhase phase, TrainingState state, RunClock run, double loss, double rate,
        ValidationResult? validation = null)
    {
        if (_options.Progress is not { } progress) return;
        var epoch = Math.Min(_options.Epochs, Math.Max(1, (state.Step + StepsPerEpoch - 1) / StepsPerEpoch));
        progress.Report(new TrainingProgress(phase, epoch, _options.Epochs, state.Step, TotalSteps, loss, rate,
            run.ExamplesPerSecond, run.Eta(state.Step), validation));
    }

    /// <summary>Throughput and time estimates of the steps run in this call (a resumed run starts counting afresh).</summary>
    private sealed class RunClock(int firstStep, int lastStep)
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private long _examples;

        public void Add(int examples) => _examples += examples;

        public double ExamplesPerSecond => _watch.Elapsed.TotalSeconds > 0 ? _examples / _watch.Elapsed.TotalSeconds : 0;

        public TimeSpan? Eta(int step) => step <= firstStep ? null
            : TimeSpan.FromSeconds(_watch.Elapsed.TotalSeconds / (step - firstStep) * Math.Max(0, lastStep - step));
    }
}
