using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Training;

/// <summary>
/// What <see cref="TrainingLoop"/> trains: a model together with its training examples, addressed by index. The loop
/// decides the order and batches; the model computes losses and gradients. Fine-tuning and masked-LM pretraining
/// each implement it.
/// </summary>
public interface ITrainableModel
{
    /// <summary>Every parameter, under its checkpoint name (all of them are saved in a checkpoint).</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The parameters the optimizer updates (a subset of <see cref="Parameters"/>; frozen ones are left out).</summary>
    IReadOnlyList<Parameter> TrainableParameters { get; }

    /// <summary>
    /// The backend the model computes on, where the loop keeps the parameters and runs the optimizer: the managed
    /// engine for a model that computes on the host.
    /// </summary>
    ComputeBackend Backend { get; }

    /// <summary>
    /// Every parameter of <see cref="Parameters"/> as <see cref="Backend"/> computes with it, in any order (matched by
    /// host tensor, see <see cref="DeviceParameterMap"/>), each bound once.
    /// </summary>
    IReadOnlyList<DeviceParameter> DeviceParameters { get; }

    /// <summary>Number of training examples.</summary>
    int ExampleCount { get; }

    /// <summary>The length (e.g. in tokens) of example <paramref name="index"/>, used to group similar lengths in a batch.</summary>
    int ExampleLength(int index);

    /// <summary>
    /// Forward and backward on the examples <paramref name="examples"/>: adds to every parameter's gradient the
    /// gradient of <paramref name="lossScale"/> × the mean loss over them, and returns that mean loss (unscaled).
    /// </summary>
    float ForwardBackward(ReadOnlySpan<int> examples, float lossScale);

    /// <summary>
    /// Restarts every random stream used in training (dropout, masking) from <paramref name="seed"/>. The loop calls
    /// it before every micro-batch with a seed fixed by the run's seed and the step, so a resumed run draws the same.
    /// </summary>
    void ReseedRandomness(ulong seed);

    /// <summary>Writes whatever besides the weights makes a checkpoint directory loadable (e.g. <c>config.json</c>).</summary>
    void WriteCheckpointFiles(string directory);
}
