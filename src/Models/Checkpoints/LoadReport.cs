using System.Text;

namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>What a checkpoint load matched: loaded, missing, unexpected and ignored tensors.</summary>
public sealed class LoadReport
{
    /// <summary>Where the tensors came from.</summary>
    public required string Location { get; init; }

    /// <summary>Model parameters filled from the checkpoint (model names).</summary>
    public required IReadOnlyList<string> Loaded { get; init; }

    /// <summary>Model parameters the checkpoint lacks; they keep their previous (initial) values.</summary>
    public required IReadOnlyList<string> Missing { get; init; }

    /// <summary>Checkpoint tensors no parameter of the model matches.</summary>
    public required IReadOnlyList<string> Unexpected { get; init; }

    /// <summary>Checkpoint tensors skipped on purpose: buffers such as <c>position_ids</c> and weights tied to another.</summary>
    public required IReadOnlyList<string> Ignored { get; init; }

    /// <summary>Whether every parameter was loaded and no tensor was left over.</summary>
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0;

    /// <summary>
    /// Throws unless every parameter was loaded (except missing ones <paramref name="mayBeMissing"/> accepts) and,
    /// unless <paramref name="allowUnexpected"/>, every tensor was used.
    /// </summary>
    /// <exception cref="InvalidDataException">The message lists the missing and unexpected tensors.</exception>
    public void EnsureComplete(Func<string, bool>? mayBeMissing = null, bool allowUnexpected = false)
    {
        var missing = Missing.Where(name => mayBeMissing?.Invoke(name) != true).ToList();
        var unexpected = allowUnexpected ? [] : Unexpected;
        if (missing.Count == 0 && unexpected.Count == 0) return;
        throw new InvalidDataException(Describe(missing, unexpected));
    }

    /// <summary>A readable summary: counts, then the missing and unexpected names.</summary>
    public override string ToString() => Describe(Missing, Unexpected);

    private string Describe(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected)
    {
        var text = new StringBuilder($"{Location}: loaded {Loaded.Count} tensors");
        if (missing.Count > 0) text.Append($"; missing {missing.Count}: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) text.Append($"; unexpected {unexpected.Count}: {string.Join(", ", unexpected)}");
        return text.Append('.').ToString();
    }
}
