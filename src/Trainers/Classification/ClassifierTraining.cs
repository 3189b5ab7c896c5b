using System.Text.RegularExpressions;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// A sequence classifier and its tokenized training examples, as <see cref="TrainingLoop"/> trains them: padded
/// micro-batches, (class-weighted) cross-entropy, and the embeddings plus the first layers optionally frozen.
/// </summary>
internal sealed partial class ClassifierTraining : ITrainableModel
{
    private readonly SequenceClassifier _classifier;
    private readonly EncodedText[] _examples;
    private readonly int[] _labels;
    private readonly CrossEntropyOptions? _lossOptions;

    public ClassifierTraining(SequenceClassifier classifier, EncodedText[] examples, int[] labels, float[]? classWeights, int frozenLayers)
    {
        _classifier = classifier;
        _examples = examples;
        _labels = labels;
        _lossOptions = classWeights is null ? null : new CrossEntropyOptions { ClassWeights = classWeights };
        Parameters = classifier.Network.Parameters;
        TrainableParameters = frozenLayers == 0 ? Parameters : [.. Parameters.Where(p => !IsFrozen(p.Name, frozenLayers))];
    }

    private IClassifierNetwork Network => _classifier.Network;

    public IReadOnlyList<Parameter> Parameters { get; }

    public IReadOnlyList<Parameter> TrainableParameters { get; }

    public Models.Execution.ComputeBackend Backend => Network.Backend;

    public IReadOnlyList<Models.Execution.DeviceParameter> DeviceParameters => Network.DeviceParameters;

    public int ExampleCount => _examples.Length;

    public int ExampleLength(int index) => _examples[index].Ids.Length;

    public float ForwardBackward(ReadOnlySpan<int> examples, float lossScale)
    {
        var texts = new EncodedText[examples.Length];
        var labels = new int[examples.Length];
        for (var i = 0; i < examples.Length; i++) (texts[i], labels[i]) = (_examples[examples[i]], _labels[examples[i]]);
        return Network.ForwardBackward(_classifier.Encoder.Batch(texts), labels, _lossOptions, lossScale);
    }

    public void ReseedRandomness(ulong seed) => Network.ReseedDropout(seed);

    public void WriteCheckpointFiles(string directory)
    {
        File.WriteAllText(Path.Combine(directory, Models.Configuration.BertConfig.FileName), Network.ConfigJson());
        _classifier.TokenizerFiles.WriteTo(directory);
    }

    /// <summary>Whether a parameter belongs to the embeddings (GPT-2's <c>wte</c>, <c>wpe</c>) or to a layer (block) below <paramref name="frozenLayers"/>.</summary>
    private static bool IsFrozen(string name, int frozenLayers)
    {
        if (name.Contains("embeddings.", StringComparison.Ordinal) || name is "transformer.wte.weight" or "transformer.wpe.weight") return true;
        var match = LayerIndex().Match(name);
        return match.Success && int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < frozenLayers;
    }

    [GeneratedRegex(@"(?:^|\.)(?:(?:encoder|transformer)\.layer|transformer\.h)\.(\d+)\.")]
    private static partial Regex LayerIndex();
}
