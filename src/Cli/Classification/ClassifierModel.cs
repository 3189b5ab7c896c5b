using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Cli.Data;
using MLNet.Transformers.Data;
using MLNet.Transformers.Trainers.Classification;

namespace MLNet.Transformers.Cli.Classification;

/// <summary>
/// A classifier pipeline zip as <c>train</c> writes it: MapValueToKey(label) → text classifier → MapKeyToValue
/// (predicted label). Knows the class names and which columns feed the model, and scores a <see cref="DataTable"/>
/// whatever its columns were called.
/// </summary>
internal sealed class ClassifierModel
{
    private readonly IReadOnlyList<ITransformer> _steps;

    private ClassifierModel(string path, IReadOnlyList<ITransformer> steps, string labelColumn, IReadOnlyList<string> classNames, IReadOnlyList<string> textColumns)
    {
        Path = path;
        _steps = steps;
        LabelColumn = labelColumn;
        ClassNames = classNames;
        TextColumns = textColumns;
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>The label column the model was trained on.</summary>
    public string LabelColumn { get; }

    /// <summary>The class names, in key (score) order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The text column and, for pair models, the second text column, as named in training.</summary>
    public IReadOnlyList<string> TextColumns { get; }

    /// <summary>Loads <paramref name="path"/>; a file that is not such a classifier is a user mistake naming it.</summary>
    public static ClassifierModel Load(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"{path}: no such model file.");
        ITransformer model;
        try
        {
            model = new TransformersContext().Model.Load(path, out _);
        }
        catch (ModelFormatException error)
        {
            throw new UserInputException(error.Message);
        }
        var steps = model as IEnumerable<ITransformer> ?? [model];
        var classifier = steps.OfType<TextClassificationTransformer>().FirstOrDefault();
        var labels = steps.OfType<ValueToKeyMappingTransformer>().FirstOrDefault();
        if (classifier is not { Task: TextClassificationTask.Multiclass } || labels is null)
            throw new UserInputException($"{path}: not a classifier made by 'train' (it needs a label mapping and a multiclass text classifier).");
        var labelColumn = labels.ColumnPairs[0].InputColumnName;
        string[] textColumns = classifier.TextPairColumnName is { } pair ? [classifier.TextColumnName, pair] : [classifier.TextColumnName];
        return new ClassifierModel(path, [.. steps], labelColumn, classifier.LabelNames, textColumns);
    }

    /// <summary>
    /// The scored rows of <paramref name="table"/>: its text columns are the training names or, failing that, the
    /// <c>text</c> / <c>text_pair</c> fields of a .txt or .jsonl input; the label column is read when
    /// <paramref name="withLabels"/> (keys, as evaluation needs) and left empty otherwise. The output keeps the
    /// predicted label as a key when <paramref name="withLabels"/>, and maps it back to the class name otherwise.
    /// </summary>
    public IDataView Score(DataTable table, bool withLabels)
    {
        var columns = TextColumns.Select((name, i) => (name, TableColumn(table, name, i))).ToList();
        var builder = new ArrayDataViewBuilder();
        foreach (var (name, source) in columns) builder.AddColumn(name, table.Column(source));
        builder.AddColumn(LabelColumn, withLabels ? table.Column(LabelColumn) : new string[table.RowCount]);
        var view = builder.GetDataView();
        foreach (var step in _steps)
            if (!(withLabels && step is KeyToValueMappingTransformer)) view = step.Transform(view);
        return view;
    }

    /// <summary>
    /// Checks that every label of <paramref name="table"/> is a class the model knows; an unseen one is a user mistake
    /// naming the value and its row.
    /// </summary>
    public void RequireKnownLabels(DataTable table) => RequireKnownLabels(table, LabelColumn, ClassNames);

    /// <summary>Checks that every value of <paramref name="labelColumn"/> in <paramref name="table"/> is one of <paramref name="classNames"/>.</summary>
    public static void RequireKnownLabels(DataTable table, string labelColumn, IReadOnlyList<string> classNames)
    {
        var known = classNames.ToHashSet(StringComparer.Ordinal);
        var labels = table.Column(labelColumn);
        for (var row = 0; row < labels.Count; row++)
            if (!known.Contains(labels[row]))
                throw new UserInputException($"{table.Path}: row {row + 1}: label '{labels[row]}' never appeared in training (the classes are: {string.Join(", ", classNames)}).");
    }

    private static string TableColumn(DataTable table, string trainingName, int index)
    {
        if (table.HasColumn(trainingName)) return trainingName;
        var inputName = index == 0 ? TextInputReader.TextField : TextInputReader.PairField;
        if (table.HasColumn(inputName)) return inputName;
        throw new UserInputException($"{table.Path}: no column '{trainingName}' (or '{inputName}') for the model's text input (the columns are: {string.Join(", ", table.ColumnNames)}).");
    }
}
