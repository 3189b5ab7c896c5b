using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNet.Transformers.Trainers.Training;

/// <summary>The loss and learning rate of one optimizer step.</summary>
/// <param name="Step">The step number, 1-based.</param>
/// <param name="Epoch">The epoch it belongs to, 1-based.</param>
/// <param name="Loss">Mean training loss over the step's examples.</param>
/// <param name="LearningRate">The learning rate applied.</param>
public sealed record StepRecord(int Step, int Epoch, double Loss, double LearningRate);

/// <summary>A validation pass and when it ran.</summary>
/// <param name="Step">Optimizer steps completed before it.</param>
/// <param name="Epoch">The epoch it closed or ran in, 1-based.</param>
/// <param name="Result">Its metrics.</param>
public sealed record ValidationRecord(int Step, int Epoch, ValidationResult Result);

/// <summary>
/// Everything a run measured, step by step: training losses, learning rates, validation results and the step whose
/// weights were kept. Round-trips through JSON (the CLI draws its report from it).
/// </summary>
public sealed class TrainingHistory
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>One record per optimizer step, in order.</summary>
    public List<StepRecord> Steps { get; init; } = [];

    /// <summary>One record per validation pass, in order.</summary>
    public List<ValidationRecord> Validations { get; init; } = [];

    /// <summary>The step whose weights the final model holds when the best validation weights were restored, else null.</summary>
    public int? BestStep { get; set; }

    /// <summary>
    /// Training rows longer than the trainer's token limit, which were cut to fit; null when the trainer does not
    /// truncate (pretraining packs its sequences).
    /// </summary>
    public int? TruncatedRowCount { get; set; }

    /// <summary>
    /// The parameters the run's checkpoint lacked, initialised fresh (seeded) before training, as Hugging Face names
    /// them: a classification head, and the pooler of a checkpoint saved without one. Empty when the checkpoint held
    /// every weight; null when the run started from no checkpoint (a fresh model, all of it initialised).
    /// </summary>
    public List<string>? NewlyInitializedWeights { get; set; }

    /// <summary>Why the run ended: <c>completed</c>, <c>early-stopping</c> or <c>max-steps</c>; null while running.</summary>
    public string? StopReason { get; set; }

    /// <summary>The history as indented JSON (snake_case names).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a history written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not a training history.</exception>
    public static TrainingHistory FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingHistory>(json, Json)
                ?? throw new InvalidDataException("The training history JSON is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The training history JSON is malformed: {e.Message}", e);
        }
    }

    /// <summary>A deep copy.</summary>
    public TrainingHistory Clone() => FromJson(ToJson());
}
