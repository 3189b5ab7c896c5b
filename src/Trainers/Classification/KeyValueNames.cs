using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>The values of a key column (its <c>KeyValues</c> annotation) as text, whatever their type.</summary>
internal static class KeyValueNames
{
    private static readonly MethodInfo ReadMethod = typeof(KeyValueNames).GetMethod(nameof(Read), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The key values of <paramref name="column"/> in key order, written with the invariant culture; null when it has none.</summary>
    public static string[]? Of(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull(AnnotationUtils.Kinds.KeyValues) is not { Type: VectorDataViewType vector } annotation)
            return null;
        return (string[])ReadMethod.MakeGenericMethod(vector.ItemType.RawType).Invoke(null, [column.Annotations, annotation])!;
    }

    private static string[] Read<T>(DataViewSchema.Annotations annotations, DataViewSchema.Column annotation)
    {
        VBuffer<T> values = default;
        annotations.GetGetter<VBuffer<T>>(annotation)(ref values);
        return [.. values.DenseValues().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")];
    }
}
