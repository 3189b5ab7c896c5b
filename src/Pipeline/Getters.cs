using Microsoft.ML;

namespace MLNet.Transformers.Pipeline;

/// <summary>Typed getters for the rows and cursors of batch mapping.</summary>
internal static class Getters
{
    /// <summary>Casts <paramref name="getter"/> to the getter type asked for, or says which type the column has.</summary>
    public static ValueGetter<TValue> Cast<TValue>(Delegate getter, DataViewSchema.Column column) =>
        getter as ValueGetter<TValue>
        ?? throw new InvalidOperationException(
            $"Column '{column.Name}' is {column.Type} (held as {column.Type.RawType.Name}); a getter of {typeof(TValue).Name} was asked for.");
}
