using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// The columns a text classifier adds, typed and annotated as ML.NET's own classification scorers make them, so its
/// evaluators, <c>CrossValidate</c> and <c>MapKeyToValue</c> read them: every column carries <c>ScoreColumnSetId</c>
/// (one more than the input's highest), <c>ScoreColumnKind</c> and <c>ScoreValueKind</c>. Multiclass: <c>Score</c>
/// (K floats, with the class names as <c>SlotNames</c> and <c>TrainingLabelValues</c>) and <c>PredictedLabel</c> (a
/// key of K values whose <c>KeyValues</c> are the class names). Binary: <c>Score</c>, <c>Probability</c>
/// (<c>IsNormalized</c>) and <c>PredictedLabel</c> (Boolean).
/// </summary>
internal static class ClassifierOutputs
{
    /// <summary>The columns added to <paramref name="inputSchema"/> by a classifier of <paramref name="classNames"/>.</summary>
    public static DataViewSchema.DetachedColumn[] Create(ClassifierSettings settings, IReadOnlyList<string> classNames, DataViewSchema inputSchema)
    {
        var setId = inputSchema.GetMaxAnnotationKind(out _, AnnotationUtils.Kinds.ScoreColumnSetId) + 1;
        if (settings.Task == TextClassificationTask.Binary)
        {
            const string kind = AnnotationUtils.Const.ScoreColumnKind.BinaryClassification;
            return
            [
                new(settings.ScoreColumn, NumberDataViewType.Single, ScoreAnnotations(setId, kind, AnnotationUtils.Const.ScoreValueKind.Score).ToAnnotations()),
                new(settings.ProbabilityColumn, NumberDataViewType.Single, Normalized(ScoreAnnotations(setId, kind, AnnotationUtils.Const.ScoreValueKind.Probability)).ToAnnotations()),
                new(settings.PredictedLabelColumn, BooleanDataViewType.Instance, ScoreAnnotations(setId, kind, AnnotationUtils.Const.ScoreValueKind.PredictedLabel).ToAnnotations()),
            ];
        }
        const string multiclass = AnnotationUtils.Const.ScoreColumnKind.MulticlassClassification;
        var count = classNames.Count;
        var names = new VBuffer<ReadOnlyMemory<char>>(count, [.. classNames.Select(n => n.AsMemory())]);
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getNames = (ref VBuffer<ReadOnlyMemory<char>> value) => names.CopyTo(ref value);
        var score = ScoreAnnotations(setId, multiclass, AnnotationUtils.Const.ScoreValueKind.Score);
        score.AddSlotNames(count, getNames);
        score.Add(AnnotationUtils.Kinds.TrainingLabelValues, AnnotationUtils.GetNamesType(count), getNames);
        var predicted = ScoreAnnotations(setId, multiclass, AnnotationUtils.Const.ScoreValueKind.PredictedLabel);
        predicted.AddKeyValues(count, TextDataViewType.Instance, getNames);
        return
        [
            new(settings.ScoreColumn, new VectorDataViewType(NumberDataViewType.Single, count), score.ToAnnotations()),
            new(settings.PredictedLabelColumn, new KeyDataViewType(typeof(uint), count), predicted.ToAnnotations()),
        ];
    }

    private static DataViewSchema.Annotations.Builder ScoreAnnotations(uint setId, string columnKind, string valueKind)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(AnnotationUtils.Kinds.ScoreColumnSetId, AnnotationUtils.ScoreColumnSetIdType, (ref uint value) => value = setId);
        builder.Add(AnnotationUtils.Kinds.ScoreColumnKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = columnKind.AsMemory());
        builder.Add(AnnotationUtils.Kinds.ScoreValueKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = valueKind.AsMemory());
        return builder;
    }

    private static DataViewSchema.Annotations.Builder Normalized(DataViewSchema.Annotations.Builder builder)
    {
        builder.Add(AnnotationUtils.Kinds.IsNormalized, BooleanDataViewType.Instance, (ref bool value) => value = true);
        return builder;
    }
}
