namespace MLNet.Transformers.Data;

/// <summary>Binary classification: trainers (added by extension methods on <see cref="Trainers"/>) and evaluation.</summary>
public sealed class BinaryClassificationCatalog : CatalogBase
{
    internal BinaryClassificationCatalog(TransformersContext context) : base(context) => Trainers = new BinaryClassificationTrainers(context);

    /// <summary>The trainers; other assemblies add them as extension methods.</summary>
    public BinaryClassificationTrainers Trainers { get; }

    /// <summary>
    /// Evaluates scored rows: a Boolean label, a Single score (ranking), a Single probability of the positive class
    /// and a Boolean predicted label.
    /// </summary>
    public CalibratedBinaryClassificationMetrics Evaluate(IDataView data, string labelColumnName = DefaultColumnNames.Label,
        string scoreColumnName = DefaultColumnNames.Score, string probabilityColumnName = DefaultColumnNames.Probability,
        string predictedLabelColumnName = DefaultColumnNames.PredictedLabel) =>
        CalibratedBinaryClassificationMetrics.Compute(ReadRows(data, labelColumnName, scoreColumnName, probabilityColumnName, predictedLabelColumnName));

    /// <summary>Evaluates scored rows without probabilities: a Boolean label, a Single score and a Boolean predicted label.</summary>
    public BinaryClassificationMetrics EvaluateNonCalibrated(IDataView data, string labelColumnName = DefaultColumnNames.Label,
        string scoreColumnName = DefaultColumnNames.Score, string predictedLabelColumnName = DefaultColumnNames.PredictedLabel) =>
        BinaryClassificationMetrics.Compute(ReadRows(data, labelColumnName, scoreColumnName, probabilityColumnName: null, predictedLabelColumnName));

    private static List<BinaryScoredRow> ReadRows(IDataView data, string labelColumnName, string scoreColumnName, string? probabilityColumnName, string predictedLabelColumnName)
    {
        const string role = "binary evaluation";
        static bool IsSingle(DataViewType t) => t.Equals(NumberDataViewType.Single);
        var label = SchemaException.Require(data.Schema, labelColumnName, $"label of {role}", t => t is BooleanDataViewType, "Boolean");
        var score = SchemaException.Require(data.Schema, scoreColumnName, $"score of {role}", IsSingle, "Single");
        var probability = probabilityColumnName is null ? (DataViewSchema.Column?)null
            : SchemaException.Require(data.Schema, probabilityColumnName, $"probability of {role}", IsSingle, "Single");
        var predicted = SchemaException.Require(data.Schema, predictedLabelColumnName, $"predicted label of {role}", t => t is BooleanDataViewType, "Boolean");
        var rows = new List<BinaryScoredRow>();
        using (var cursor = data.GetRowCursor(probability is { } p ? [label, score, p, predicted] : [label, score, predicted]))
        {
            var getLabel = cursor.GetGetter<bool>(label);
            var getScore = cursor.GetGetter<float>(score);
            ValueGetter<float> getProbability = probability is { } column ? cursor.GetGetter<float>(column) : (ref float value) => value = float.NaN;
            var getPredicted = cursor.GetGetter<bool>(predicted);
            bool l = false, d = false;
            float s = 0, q = 0;
            while (cursor.MoveNext())
            {
                getLabel(ref l);
                getScore(ref s);
                getProbability(ref q);
                getPredicted(ref d);
                rows.Add(new BinaryScoredRow(l, s, q, d));
            }
        }
        return rows.Count > 0 ? rows : throw new InvalidOperationException("There are no rows to evaluate.");
    }

    /// <summary>Where binary classification trainers are added, as extension methods.</summary>
    public sealed class BinaryClassificationTrainers : CatalogBase
    {
        internal BinaryClassificationTrainers(TransformersContext context) : base(context) { }
    }
}

/// <summary>Multiclass classification: trainers (added by extension methods on <see cref="Trainers"/>) and evaluation.</summary>
public sealed class MulticlassClassificationCatalog : CatalogBase
{
    internal MulticlassClassificationCatalog(TransformersContext context) : base(context) => Trainers = new MulticlassClassificationTrainers(context);

    /// <summary>The trainers; other assemblies add them as extension methods.</summary>
    public MulticlassClassificationTrainers Trainers { get; }

    /// <summary>
    /// Evaluates scored rows: a key label, a score vector of one probability per class (in key order) and a key
    /// predicted label. Rows with a missing label (key 0) are left out. Class names come from the label's key values.
    /// </summary>
    public MulticlassClassificationMetrics Evaluate(IDataView data, string labelColumnName = DefaultColumnNames.Label,
        string scoreColumnName = DefaultColumnNames.Score, string predictedLabelColumnName = DefaultColumnNames.PredictedLabel)
    {
        const string role = "multiclass evaluation";
        var label = SchemaException.Require(data.Schema, labelColumnName, $"label of {role}", t => t is KeyDataViewType, "a key");
        int classes = (int)((KeyDataViewType)label.Type).Count;
        var score = SchemaException.Require(data.Schema, scoreColumnName, $"score of {role}",
            t => t is VectorDataViewType { Size: var n } v && n == classes && v.ItemType.Equals(NumberDataViewType.Single), $"Vector<Single, {classes}> (one score per class)");
        var predicted = SchemaException.Require(data.Schema, predictedLabelColumnName, $"predicted label of {role}", t => t.Equals(label.Type), label.Type.ToString());
        var names = label.GetKeyValueNames() ?? [.. Enumerable.Range(1, classes).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var rows = new List<(int, float[], int)>();
        using (var cursor = data.GetRowCursor([label, score, predicted]))
        {
            var getLabel = cursor.GetGetter<uint>(label);
            var getScore = cursor.GetGetter<VBuffer<float>>(score);
            var getPredicted = cursor.GetGetter<uint>(predicted);
            uint l = 0, p = 0;
            var s = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                getLabel(ref l);
                if (l == 0) continue;
                getScore(ref s);
                getPredicted(ref p);
                if (p == 0) throw new InvalidOperationException($"Row {cursor.Position}: the predicted label '{predicted.Name}' is missing.");
                rows.Add(((int)l - 1, s.GetValues().ToArray(), (int)p - 1));
            }
        }
        if (rows.Count == 0) throw new InvalidOperationException("There are no labelled rows to evaluate.");
        return MulticlassClassificationMetrics.Compute(names, rows);
    }

    /// <summary>Where multiclass classification trainers are added, as extension methods.</summary>
    public sealed class MulticlassClassificationTrainers : CatalogBase
    {
        internal MulticlassClassificationTrainers(TransformersContext context) : base(context) { }
    }
}

/// <summary>The column names trainers write and evaluators read by default, as in ML.NET.</summary>
public static class DefaultColumnNames
{
    /// <summary>The label column.</summary>
    public const string Label = "Label";

    /// <summary>The score column (a Single for binary, a vector of class scores for multiclass).</summary>
    public const string Score = "Score";

    /// <summary>The positive-class probability column of a binary classifier.</summary>
    public const string Probability = "Probability";

    /// <summary>The predicted label column.</summary>
    public const string PredictedLabel = "PredictedLabel";
}
