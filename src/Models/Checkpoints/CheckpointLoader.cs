namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>Fills model parameters from a tensor source by Hugging Face name and reports what matched.</summary>
public static class CheckpointLoader
{
    /// <summary>
    /// Copies every checkpoint tensor whose canonical name (see <see cref="CheckpointNames"/>) matches a parameter's
    /// into it, converting F16/BF16 to float.
    /// </summary>
    /// <param name="source">The checkpoint.</param>
    /// <param name="parameters">The model's parameters under the names it saves them with.</param>
    /// <param name="basePrefix">The encoder's prefix in models with heads (<c>bert.</c>, <c>roberta.</c>, <c>distilbert.</c>).</param>
    /// <param name="isIgnorable">Checkpoint tensors (canonical names) to skip without calling them unexpected.</param>
    /// <exception cref="InvalidDataException">A matched tensor's shape differs from its parameter's, or two names collide.</exception>
    public static LoadReport Load(ITensorSource source, IReadOnlyList<ParameterBinding> parameters, string basePrefix,
        Func<string, bool>? isIgnorable = null)
    {
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in source.Names)
        {
            var canonical = CheckpointNames.Canonical(name, basePrefix);
            if (!stored.TryAdd(canonical, name))
                throw new InvalidDataException($"{source.Location}: tensors '{stored[canonical]}' and '{name}' name the same parameter.");
        }
        var loaded = new List<string>();
        var missing = new List<string>();
        foreach (var parameter in parameters)
        {
            var canonical = CheckpointNames.Canonical(parameter.Name, basePrefix);
            if (!stored.Remove(canonical, out var storedName))
            {
                missing.Add(parameter.Name);
                continue;
            }
            var info = source.Describe(storedName);
            if (!info.Shape.SequenceEqual(parameter.Shape.Select(d => (long)d)))
                throw new InvalidDataException(
                    $"{source.Location}: tensor '{storedName}' has shape {info.ShapeText}, the model expects {TensorInfo.ShapeToText(parameter.Shape.Select(d => (long)d))}.");
            source.Read(storedName, parameter.Values.Span);
            loaded.Add(parameter.Name);
        }
        var ignored = stored.Where(pair => isIgnorable?.Invoke(pair.Key) == true).Select(pair => pair.Value).ToList();
        var unexpected = stored.Values.Except(ignored).ToList();
        return new LoadReport
        {
            Location = source.Location, Loaded = loaded, Missing = missing, Unexpected = unexpected, Ignored = ignored,
        };
    }
}
