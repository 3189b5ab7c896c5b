using System.Globalization;

namespace MLNet.Transformers.Models.Onnx;

/// <summary>
/// Reads the LayerNorm epsilon of a graph: the <c>epsilon</c> of LayerNormalization nodes (opset 17 and later), or
/// the constant of a LayerNorm that the exporter wrote out (torch's
/// <c>(x - mean) / Sqrt(ReduceMean((x - mean)^2) + eps)</c>): the scalar added to a ReduceMean right before a Sqrt.
/// </summary>
internal static class OnnxLayerNormEpsilon
{
    /// <summary>The epsilon every LayerNorm of the graph uses, or null when the graph shows none.</summary>
    /// <exception cref="InvalidDataException">The LayerNorms use different epsilons.</exception>
    public static double? Infer(OnnxGraph graph)
    {
        var found = new SortedSet<float>();
        foreach (var node in graph.NodesOf(OnnxOps.LayerNormalization))
            found.Add(node.Float(OnnxOps.Epsilon, OnnxOps.DefaultLayerNormalizationEpsilon));
        foreach (var sqrt in graph.NodesOf(OnnxOps.Sqrt))
        {
            if (graph.Producer(sqrt.Input[0]) is not { OpType: OnnxOps.Add } add) continue;
            foreach (var input in add.Input)
            {
                var variance = add.OtherInput(input);
                if (variance is not null && graph.Producer(variance)?.OpType == OnnxOps.ReduceMean
                    && OnnxConstants.Scalar(graph, input) is { } epsilon)
                    found.Add(epsilon);
            }
        }
        return found.Count switch
        {
            0 => null,
            1 => ShortestDouble(found.Min),
            _ => throw new InvalidDataException(
                $"{graph.Location}: the LayerNorms use different epsilons ({string.Join(", ", found.Select(e => e.ToString(CultureInfo.InvariantCulture)))}); put the model's config.json beside it."),
        };
    }

    /// <summary>The double a config file would write for a float constant: 1e-12, not 9.9999999600419720025e-13.</summary>
    private static double ShortestDouble(float value) =>
        double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
