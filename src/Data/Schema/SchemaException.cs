namespace MLNet.Transformers.Data;

/// <summary>A column a pipeline step needs is missing or has the wrong type; the message names the column and step.</summary>
public sealed class SchemaException : ArgumentException
{
    /// <summary>Creates the exception with its message.</summary>
    public SchemaException(string message) : base(message) { }

    internal static SchemaException Missing(string name, string role, IEnumerable<string> available) =>
        new($"Column '{name}' ({role}) not found; the data has: {string.Join(", ", available)}.");

    internal static SchemaException Mistyped(string name, string role, string expected, string actual) =>
        new($"Column '{name}' ({role}) must be {expected}, but is {actual}.");

    /// <summary>
    /// The visible column named <paramref name="name"/> of <paramref name="schema"/>, checked by
    /// <paramref name="isValid"/>; throws naming the column, the <paramref name="role"/> and <paramref name="expected"/>.
    /// </summary>
    public static DataViewSchema.Column Require(DataViewSchema schema, string name, string role, Func<DataViewType, bool> isValid, string expected)
    {
        var column = schema.GetColumnOrNull(name) ?? throw Missing(name, role, schema.Where(c => !c.IsHidden).Select(c => c.Name));
        if (!isValid(column.Type)) throw Mistyped(name, role, expected, column.Type.ToString());
        return column;
    }
}
