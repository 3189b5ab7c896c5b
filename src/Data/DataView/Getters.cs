namespace MLNet.Transformers.Data;

/// <summary>Checks shared by cursor implementations: active columns and typed getters.</summary>
internal static class Getters
{
    /// <summary>A flag per column of <paramref name="schema"/>: whether it is in <paramref name="columnsNeeded"/>.</summary>
    public static bool[] ActiveFlags(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        var active = new bool[schema.Count];
        foreach (var column in columnsNeeded)
        {
            if (column.Index < 0 || column.Index >= schema.Count || schema[column.Index].Name != column.Name)
                throw new ArgumentException($"Column '{column.Name}' ({column.Index}) is not a column of this data view.", nameof(columnsNeeded));
            active[column.Index] = true;
        }
        return active;
    }

    /// <summary>Casts <paramref name="getter"/> to the getter type asked for, or says which type the column has.</summary>
    public static ValueGetter<TValue> Cast<TValue>(Delegate getter, DataViewSchema.Column column) =>
        getter as ValueGetter<TValue>
        ?? throw new InvalidOperationException(
            $"Column '{column.Name}' is {column.Type} (held as {column.Type.RawType.Name}); a getter of {typeof(TValue).Name} was asked for.");

    /// <summary>Throws unless <paramref name="column"/> is active in <paramref name="row"/>.</summary>
    public static void RequireActive(DataViewRow row, DataViewSchema.Column column)
    {
        if (!row.IsColumnActive(column))
            throw new InvalidOperationException($"Column '{column.Name}' was not asked for when this cursor was opened.");
    }
}
