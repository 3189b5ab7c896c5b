using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Pipeline;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// A <see cref="TextClassificationTransformer"/> bound to one input schema: reads the text column(s), scores a batch
/// of rows at once, writes the columns of <see cref="ClassifierOutputs"/>. When the input also has the label column,
/// it is checked against the training classes, so that <c>Evaluate</c> never compares keys that mean other classes.
/// </summary>
internal sealed class TextClassificationMapper : BatchMapper
{
    private readonly TextClassificationTransformer _parent;
    private readonly DataViewSchema.Column _text;
    private readonly DataViewSchema.Column? _pair;
    private readonly DataViewSchema.Column? _rawLabel;

    /// <exception cref="SchemaException">A text column is missing or not text.</exception>
    /// <exception cref="InvalidDataException">A key label column holds values training never saw, or in another key order.</exception>
    public TextClassificationMapper(TextClassificationTransformer parent, DataViewSchema inputSchema)
        : base(inputSchema, ClassifierOutputs.Create(parent.Settings, parent.LabelNames, inputSchema), parent.RowsPerRead)
    {
        _parent = parent;
        var settings = parent.Settings;
        (_text, _pair) = LabeledTextReader.RequireTexts(inputSchema, settings.Sentence1Column, settings.Sentence2Column);
        if (parent.Task == TextClassificationTask.Multiclass && inputSchema.GetColumnOrNull(settings.LabelColumn) is { } label)
        {
            if (label.Type is KeyDataViewType) RequireTrainingKeys(label, parent.LabelNames);
            else if (label.Type is TextDataViewType) _rawLabel = label;
        }
    }

    public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) =>
        new[] { _text, _pair, _rawLabel }.OfType<DataViewSchema.Column>();

    public override void MapBatch(RowBatch batch)
    {
        if (_rawLabel is { } rawLabel) RequireKnownLabels(batch.GetInput<ReadOnlyMemory<char>>(rawLabel), rawLabel.Name);
        var texts = batch.GetInput<ReadOnlyMemory<char>>(_text);
        var pairs = _pair is { } p ? batch.GetInput<ReadOnlyMemory<char>>(p) : default;
        var inputs = new (string, string?)[batch.Count];
        for (var i = 0; i < inputs.Length; i++) inputs[i] = (texts[i].ToString(), _pair is null ? null : pairs[i].ToString());
        var (probabilities, logits) = _parent.Score(inputs);
        if (_parent.Task == TextClassificationTask.Binary) WriteBinary(batch, probabilities, logits);
        else WriteMulticlass(batch, probabilities, _parent.LabelNames.Count);
    }

    /// <summary>A key label must number the training classes as training did (its values a prefix of theirs).</summary>
    private static void RequireTrainingKeys(DataViewSchema.Column label, IReadOnlyList<string> classNames)
    {
        LabeledTextReader.KeyToClass(label, classNames, "the scored data");
        if (KeyValueNames.Of(label) is { } names && !names.SequenceEqual(classNames.Take(names.Length)))
            throw new InvalidDataException($"The scored data numbers the classes of its label column '{label.Name}' in another order "
                + $"({string.Join(", ", names)}) than training did ({string.Join(", ", classNames)}): map it with the key mapping fitted on the training data.");
    }

    private void RequireKnownLabels(ReadOnlySpan<ReadOnlyMemory<char>> values, string column)
    {
        var labels = _parent.LabelNames;
        foreach (var value in values)
            if (!value.IsEmpty && !labels.Contains(value.ToString()))
                throw new InvalidDataException($"The label '{value}' in column '{column}' was never seen in training (known: {string.Join(", ", labels)}).");
    }

    private static void WriteBinary(RowBatch batch, float[] probabilities, float[] logits)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var margin = logits[2 * i + 1] - logits[2 * i];
            if (batch.IsOutputActive(0)) batch.GetOutput<float>(0)[i] = margin;
            if (batch.IsOutputActive(1)) batch.GetOutput<float>(1)[i] = probabilities[2 * i + 1];
            if (batch.IsOutputActive(2)) batch.GetOutput<bool>(2)[i] = margin > 0;
        }
    }

    private static void WriteMulticlass(RowBatch batch, float[] probabilities, int classes)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var row = probabilities.AsSpan(i * classes, classes); // (K)
            if (batch.IsOutputActive(0)) batch.GetOutput<VBuffer<float>>(0)[i] = new VBuffer<float>(classes, row.ToArray());
            if (batch.IsOutputActive(1)) batch.GetOutput<uint>(1)[i] = (uint)ArgMax(row) + 1;
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
