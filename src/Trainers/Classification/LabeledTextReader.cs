using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Pipeline;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>Texts (or text pairs) and their class indices (0-based), read from a data view.</summary>
/// <param name="Inputs">The texts, with the pair text or null.</param>
/// <param name="Labels">The class index of each row.</param>
internal sealed record LabeledTexts(IReadOnlyList<(string Text, string? Pair)> Inputs, int[] Labels);

/// <summary>Finds and checks the text, pair and label columns of a classification task, and reads their rows.</summary>
internal static class LabeledTextReader
{
    /// <summary>
    /// The class names of <paramref name="task"/> for the label column of <paramref name="schema"/>: the label's key
    /// values as text (or 1..K when it has none) for multiclass, <c>False</c>, <c>True</c> for binary.
    /// </summary>
    /// <exception cref="SchemaException">A column is missing or has the wrong type.</exception>
    public static string[] ClassNames(DataViewSchema schema, TextClassificationOptions options, TextClassificationTask task)
    {
        RequireTexts(schema, options.Sentence1ColumnName, options.Sentence2ColumnName);
        var label = RequireLabel(schema, options.LabelColumnName, task);
        if (task == TextClassificationTask.Binary) return [bool.FalseString, bool.TrueString];
        var count = (int)((KeyDataViewType)label.Type).Count;
        return KeyValueNames.Of(label) ?? [.. Enumerable.Range(1, count).Select(k => k.ToString(CultureInfo.InvariantCulture))];
    }

    /// <summary>The label column, checked: Boolean for binary, a key of known count for multiclass.</summary>
    /// <exception cref="SchemaException">The column is missing or has the wrong type.</exception>
    public static DataViewSchema.Column RequireLabel(DataViewSchema schema, string name, TextClassificationTask task) =>
        task == TextClassificationTask.Binary
            ? SchemaException.Require(schema, name, "label of binary text classification", t => t is BooleanDataViewType, "Boolean")
            : SchemaException.Require(schema, name, "label of multiclass text classification", t => t is KeyDataViewType { Count: > 0 and <= int.MaxValue } key && key.RawType == typeof(uint),
                "a key (map the label with MapValueToKey first)");

    /// <summary>The text column and the pair column (or null), checked.</summary>
    /// <exception cref="SchemaException">A column is missing or not text.</exception>
    public static (DataViewSchema.Column Text, DataViewSchema.Column? Pair) RequireTexts(DataViewSchema schema, string text, string? pair) =>
        (RequireText(schema, text, "sentence 1"), pair is null ? null : RequireText(schema, pair, "sentence 2"));

    /// <summary>Reads every row of <paramref name="data"/>, checking its label against the classes training knows.</summary>
    /// <exception cref="InvalidDataException">A label is missing or unknown to training (the message names the row or the value).</exception>
    public static LabeledTexts Read(IDataView data, TextClassificationOptions options, TextClassificationTask task,
        IReadOnlyList<string> classNames, string dataName)
    {
        var schema = data.Schema;
        var (text, pair) = RequireTexts(schema, options.Sentence1ColumnName, options.Sentence2ColumnName);
        var label = RequireLabel(schema, options.LabelColumnName, task);
        var keyMap = task == TextClassificationTask.Multiclass ? KeyToClass(label, classNames, dataName) : null;
        var inputs = new List<(string, string?)>();
        var labels = new List<int>();
        using var cursor = data.GetRowCursor(pair is { } p ? [text, p, label] : [text, label]);
        var getText = cursor.GetGetter<ReadOnlyMemory<char>>(text);
        ValueGetter<ReadOnlyMemory<char>>? getPair = pair is { } pc ? cursor.GetGetter<ReadOnlyMemory<char>>(pc) : null;
        var getLabel = LabelGetter(cursor, label, keyMap, dataName);
        ReadOnlyMemory<char> first = default, second = default;
        while (cursor.MoveNext())
        {
            getText(ref first);
            getPair?.Invoke(ref second);
            inputs.Add((first.ToString(), getPair is null ? null : second.ToString()));
            labels.Add(getLabel());
        }
        return new LabeledTexts(inputs, [.. labels]);
    }

    /// <summary>
    /// Class index (0-based) by key (1-based) of <paramref name="label"/>; a key value training never saw is refused,
    /// naming it (a key mapping fitted on other data than training's).
    /// </summary>
    /// <exception cref="InvalidDataException">A key value is not one of <paramref name="classNames"/>.</exception>
    public static int[] KeyToClass(DataViewSchema.Column label, IReadOnlyList<string> classNames, string dataName)
    {
        var count = (int)((KeyDataViewType)label.Type).Count;
        var names = KeyValueNames.Of(label);
        if (names is null)
        {
            if (count > classNames.Count)
                throw new InvalidDataException($"{dataName}: the label column '{label.Name}' has {count} keys; training knows {classNames.Count} classes.");
            return [.. Enumerable.Range(0, count)];
        }
        var unknown = names.Where(n => !classNames.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException($"{dataName}: label value(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} "
                + $"in column '{label.Name}' were never seen in training (known: {string.Join(", ", classNames)}).");
        var index = classNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        return [.. names.Select(n => index[n])];
    }

    private static DataViewSchema.Column RequireText(DataViewSchema schema, string name, string role) =>
        SchemaException.Require(schema, name, $"{role} of text classification", t => t is TextDataViewType, "Text");

    private static Func<int> LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column label, int[]? keyMap, string dataName)
    {
        if (keyMap is null)
        {
            var getBool = cursor.GetGetter<bool>(label);
            var flag = false;
            return () =>
            {
                getBool(ref flag);
                return flag ? 1 : 0;
            };
        }
        var getKey = cursor.GetGetter<uint>(label);
        uint key = 0;
        return () =>
        {
            getKey(ref key);
            if (key == 0)
                throw new InvalidDataException($"{dataName}, row {cursor.Position + 1}: the label '{label.Name}' is missing "
                    + "(an empty field, or a value the label's MapValueToKey did not learn).");
            return keyMap[key - 1];
        };
    }
}
