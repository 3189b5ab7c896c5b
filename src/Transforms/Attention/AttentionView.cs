using MLNet.Transformers.Models.Attention;

namespace MLNet.Transformers.Transforms;

/// <summary>What a rendering of <see cref="AttentionMaps"/> shows: its title and the layer and head (the one an SVG draws, the one an HTML page opens on).</summary>
public sealed record AttentionView
{
    /// <summary>The heading. Default "Attention".</summary>
    public string Title { get; init; } = "Attention";

    /// <summary>The layer, from 0. Default 0.</summary>
    public int Layer { get; init; }

    /// <summary>The head, from 0. Default 0.</summary>
    public int Head { get; init; }

    /// <summary>Checks the layer and head against the maps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The layer or head does not exist in <paramref name="maps"/>.</exception>
    public void Validate(AttentionMaps maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (Layer < 0 || Layer >= maps.Layers)
            throw new ArgumentOutOfRangeException(nameof(Layer), Layer, $"The layer must be from 0 to {maps.Layers - 1} (the maps have {maps.Layers} layers).");
        if (Head < 0 || Head >= maps.Heads)
            throw new ArgumentOutOfRangeException(nameof(Head), Head, $"The head must be from 0 to {maps.Heads - 1} (each layer has {maps.Heads} heads).");
    }
}
