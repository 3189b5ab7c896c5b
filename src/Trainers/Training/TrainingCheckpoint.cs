using System.Text.Json;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Training;

/// <summary>
/// A training checkpoint: a directory <c>checkpoint-{step}</c> holding the model (<c>model.safetensors</c> and the
/// model's own files, so it loads as a Hugging Face checkpoint), AdamW's moments (<c>optimizer.safetensors</c>), the
/// best weights so far (<c>best.safetensors</c>) and the counters (<c>trainer_state.json</c>, written last). A new
/// checkpoint is completed under a temporary name and renamed; older ones are deleted only after that.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string Prefix = "checkpoint-";
    private const string StateFile = "trainer_state.json";
    private const string OptimizerFile = "optimizer.safetensors";
    private const string BestFile = "best.safetensors";
    private const string FirstMoment = "exp_avg.", SecondMoment = "exp_avg_sq.";
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The newest complete checkpoint under <paramref name="root"/>, or null.</summary>
    public static string? Latest(string root) =>
        !Directory.Exists(root) ? null : Directory.EnumerateDirectories(root, Prefix + "*")
            .Where(d => File.Exists(Path.Combine(d, StateFile)) && int.TryParse(Path.GetFileName(d)[Prefix.Length..], out _))
            .OrderByDescending(d => int.Parse(Path.GetFileName(d)[Prefix.Length..]))
            .FirstOrDefault();

    /// <summary>Writes a checkpoint of step <paramref name="state"/>.Step and deletes the older ones; returns its directory.</summary>
    public static string Save(string root, ITrainableModel model, AdamW optimizer, TrainingState state, float[][]? best)
    {
        var final = Path.Combine(root, $"{Prefix}{state.Step:D8}");
        var temporary = final + ".tmp";
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        Directory.CreateDirectory(temporary);
        model.WriteCheckpointFiles(temporary);
        SafetensorsWriter.Write(Path.Combine(temporary, CheckpointFiles.Safetensors), model.Parameters.Select(ToNamed));
        var trainable = optimizer.Parameters;
        SafetensorsWriter.Write(Path.Combine(temporary, OptimizerFile), trainable.SelectMany((p, i) => new[]
        {
            Named(FirstMoment + p.Name, p, optimizer.FirstMoments(i).ToArray()),
            Named(SecondMoment + p.Name, p, optimizer.SecondMoments(i).ToArray()),
        }));
        if (best is not null)
            SafetensorsWriter.Write(Path.Combine(temporary, BestFile), trainable.Select((p, i) => Named(p.Name, p, best[i])));
        File.WriteAllText(Path.Combine(temporary, StateFile), JsonSerializer.Serialize(state, Json));
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temporary, final);
        foreach (var older in Directory.EnumerateDirectories(root, Prefix + "*").Where(d => d != final).ToList())
            Directory.Delete(older, recursive: true);
        return final;
    }

    /// <summary>Reads a checkpoint into the model and optimizer; returns its counters and the best weights (or null).</summary>
    /// <exception cref="InvalidDataException">A file is missing or malformed, or a tensor is absent.</exception>
    public static (TrainingState State, float[][]? Best) Load(string directory, ITrainableModel model, AdamW optimizer)
    {
        var statePath = Path.Combine(directory, StateFile);
        TrainingState state;
        try
        {
            state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(statePath), Json)
                ?? throw new InvalidDataException($"{statePath}: empty training state.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{statePath}: malformed training state: {e.Message}", e);
        }
        using (var weights = SafetensorsReader.Open(Path.Combine(directory, CheckpointFiles.Safetensors)))
            foreach (var parameter in model.Parameters) weights.Read(parameter.Name, parameter.Value.Span);
        var trainable = optimizer.Parameters;
        using (var moments = SafetensorsReader.Open(Path.Combine(directory, OptimizerFile)))
            for (var i = 0; i < trainable.Count; i++)
            {
                moments.Read(FirstMoment + trainable[i].Name, optimizer.FirstMoments(i));
                moments.Read(SecondMoment + trainable[i].Name, optimizer.SecondMoments(i));
            }
        optimizer.Steps = state.OptimizerSteps;
        var bestPath = Path.Combine(directory, BestFile);
        if (!File.Exists(bestPath)) return (state, null);
        using var bestReader = SafetensorsReader.Open(bestPath);
        return (state, [.. trainable.Select(p => bestReader.ReadSingle(p.Name))]);
    }

    private static NamedTensor ToNamed(Parameter p) => new(p.Name, p.Value.Shape.ToArray(), p.Value.Memory);

    private static NamedTensor Named(string name, Parameter shapeOf, float[] values) => new(name, shapeOf.Value.Shape.ToArray(), values);
}
