using Microsoft.ML;
using Microsoft.ML.Transforms;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Cli.Data;
using MLNet.Transformers.Trainers.Classification;

namespace MLNet.Transformers.Cli.Classification;

/// <summary>
/// A classifier pipeline zip as <c>train</c> writes it, loaded by ML.NET: MapValueToKey(label) → text classifier →
/// MapKeyToValue(PredictedLabel). Knows the class names and the columns that feed the model, and scores a
/// <see cref="DataTable"/> whatever its columns were called.
/// </summary>
internal sealed class ClassifierModel
{
    private readonly MLContext _ml;
    private readonly IReadOnlyList<ITransformer> _steps;
    private readonly TextClassificationTransformer _classifier;

    private ClassifierModel(MLContext ml, string path, IReadOnlyList<ITransformer> steps, TextClassificationTransformer classifier)
    {
        _ml = ml;
        Path = path;
        _steps = steps;
        _classifier = classifier;
        Columns = new ClassifierColumns(classifier.Sentence1ColumnName, classifier.Sentence2ColumnName, classifier.LabelColumnName);
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>The columns the model reads, as named in training.</summary>
    public ClassifierColumns Columns { get; }

    /// <summary>The class names, in key (score) order.</summary>
    public IReadOnlyList<string> ClassNames => _classifier.LabelNames;

    /// <summary>The classifier in the pipeline.</summary>
    public TextClassificationTransformer Classifier => _classifier;

    /// <summary>The output column of the class probabilities (a vector in <see cref="ClassNames"/> order).</summary>
    public string ScoreColumn => _classifier.ScoreColumnName;

    /// <summary>The output column of the predicted class.</summary>
    public string PredictedLabelColumn => _classifier.PredictedLabelColumnName;

    /// <summary>The longest input in tokens; longer texts are truncated.</summary>
    public int MaxTokens => _classifier.MaxTokens;

    /// <summary>The rows scored so far whose text was longer than <see cref="MaxTokens"/> and was truncated.</summary>
    public long TruncatedRowCount => _classifier.TruncatedRowCount;

    /// <summary>
    /// Loads <paramref name="path"/>, scoring in <paramref name="precision"/> when given (else the model's own); a file
    /// that is not such a classifier is a user mistake naming it.
    /// </summary>
    public static ClassifierModel Load(string path, Precision? precision = null)
    {
        var ml = new MLContext();
        var steps = ModelZip.Load(ml, path);
        var classifier = steps.OfType<TextClassificationTransformer>().FirstOrDefault();
        if (classifier is not { Task: TextClassificationTask.Multiclass } || !steps.OfType<ValueToKeyMappingTransformer>().Any())
            throw new UserInputException($"{path}: not a classifier made by 'train' (it needs a label mapping and a multiclass text classifier).");
        if (precision is { } chosen && chosen != classifier.Precision)
        {
            var rescored = classifier.WithPrecision(chosen);
            steps = [.. steps.Select(step => ReferenceEquals(step, classifier) ? rescored : step)];
            classifier = rescored;
        }
        return new ClassifierModel(ml, path, steps, classifier);
    }

    /// <summary>
    /// The scored rows of <paramref name="table"/>: its text columns are the training names or, failing that, the
    /// <c>text</c> / <c>text_pair</c> fields of a .txt or .jsonl input; the label column is read when
    /// <paramref name="withLabels"/> (keys, as evaluation needs) and left empty otherwise. The output keeps the
    /// predicted label as a key when <paramref name="withLabels"/>, and maps it back to the class name otherwise.
    /// </summary>
    public IDataView Score(DataTable table, bool withLabels)
    {
        var view = Columns.View(_ml, table.Column(TableColumn(table, Columns.Text, 0)),
            Columns.Pair is { } pair ? table.Column(TableColumn(table, pair, 1)) : null,
            withLabels ? table.Column(Columns.Label) : null);
        foreach (var step in _steps)
            if (!(withLabels && step is KeyToValueMappingTransformer)) view = step.Transform(view);
        return view;
    }

    /// <summary>The metrics of the model on the labelled rows of <paramref name="table"/>, measured by ML.NET's evaluator.</summary>
    public ClassifierMetrics Evaluate(DataTable table)
    {
        if (table.RowCount == 0) throw new UserInputException($"{table.Path}: there are no rows to evaluate.");
        RequireKnownLabels(table, Columns.Label, ClassNames);
        var scored = Score(table, withLabels: true);
        return new ClassifierMetrics(_ml.MulticlassClassification.Evaluate(scored, Columns.Label, ScoreColumn, PredictedLabelColumn), ClassNames);
    }

    /// <summary>Checks that every value of <paramref name="labelColumn"/> in <paramref name="table"/> is one of <paramref name="classNames"/>.</summary>
    public static void RequireKnownLabels(DataTable table, string labelColumn, IReadOnlyList<string> classNames)
    {
        var known = classNames.ToHashSet(StringComparer.Ordinal);
        var labels = table.Column(labelColumn);
        for (var row = 0; row < labels.Count; row++)
            if (!known.Contains(labels[row]))
                throw new UserInputException($"{table.Path}: {table.Locate(row)}: label '{labels[row]}' never appeared in training (the classes are: {string.Join(", ", classNames)}).");
    }

    private static string TableColumn(DataTable table, string trainingName, int index)
    {
        if (table.HasColumn(trainingName)) return trainingName;
        var inputName = index == 0 ? TextInputReader.TextField : TextInputReader.PairField;
        if (table.HasColumn(inputName)) return inputName;
        throw new UserInputException($"{table.Path}: no column '{trainingName}' (or '{inputName}') for the model's text input (the columns are: {string.Join(", ", table.ColumnNames)}).");
    }
}
