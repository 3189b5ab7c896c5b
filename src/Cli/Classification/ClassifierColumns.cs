using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Transformers.Cli.Classification;

/// <summary>
/// The columns a classifier pipeline reads, named as in training: the text, the second text of a pair task (or
/// null), and the label. Makes the ML.NET data view of rows under these names, in this order (the order of the input
/// schema a model zip keeps).
/// </summary>
/// <param name="Text">The text column.</param>
/// <param name="Pair">The second text column, or null.</param>
/// <param name="Label">The label column.</param>
internal sealed record ClassifierColumns(string Text, string? Pair, string Label)
{
    /// <summary>The column names: text, pair (when there is one), label.</summary>
    public IEnumerable<string> Names => new[] { Text, Pair, Label }.OfType<string>();

    /// <summary>
    /// A view of the rows given by <paramref name="texts"/>, <paramref name="pairs"/> (null without a pair column) and
    /// <paramref name="labels"/> (null: empty labels, for prediction).
    /// </summary>
    public IDataView View(MLContext ml, IReadOnlyList<string> texts, IReadOnlyList<string>? pairs, IReadOnlyList<string>? labels)
    {
        var rows = Enumerable.Range(0, texts.Count).Select(i => new ClassifierInputRow
        {
            Text = texts[i],
            Pair = pairs?[i] ?? "",
            Label = labels?[i] ?? "",
        });
        var schema = SchemaDefinition.Create(typeof(ClassifierInputRow));
        var text = schema.Single(c => c.MemberName == nameof(ClassifierInputRow.Text));
        var pair = schema.Single(c => c.MemberName == nameof(ClassifierInputRow.Pair));
        var label = schema.Single(c => c.MemberName == nameof(ClassifierInputRow.Label));
        text.ColumnName = Text;
        label.ColumnName = Label;
        if (Pair is null) schema.Remove(pair);
        else pair.ColumnName = Pair;
        return ml.Data.LoadFromEnumerable(rows, schema);
    }
}

/// <summary>One row of <see cref="ClassifierColumns.View"/>; the columns take their names from <see cref="ClassifierColumns"/>.</summary>
internal sealed class ClassifierInputRow
{
    /// <summary>The text.</summary>
    public string Text { get; set; } = "";

    /// <summary>The second text (unused without a pair column).</summary>
    public string Pair { get; set; } = "";

    /// <summary>The label, empty when predicting.</summary>
    public string Label { get; set; } = "";
}
