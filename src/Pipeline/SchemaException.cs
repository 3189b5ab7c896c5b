using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Transformers.Pipeline;

/// <summary>
/// A column a pipeline step needs is missing or has the wrong type; the message names the column, the step and what
/// was expected. It is an <see cref="ArgumentOutOfRangeException"/>, as ML.NET's own schema mismatches are.
/// </summary>
public sealed class SchemaException : ArgumentOutOfRangeException
{
    /// <summary>Creates the exception with its message.</summary>
    public SchemaException(string message) : base(paramName: null, message) { }

    /// <summary>
    /// The visible column named <paramref name="name"/> of <paramref name="schema"/>, checked by
    /// <paramref name="isValid"/>; throws naming the column, the <paramref name="role"/> and <paramref name="expected"/>.
    /// </summary>
    public static DataViewSchema.Column Require(DataViewSchema schema, string name, string role, Func<DataViewType, bool> isValid, string expected)
    {
        var column = schema.GetColumnOrNull(name) ?? throw Missing(name, role, schema.Where(c => !c.IsHidden).Select(c => c.Name));
        if (!isValid(column.Type)) throw Mistyped(name, role, expected, column.Type.ToString() ?? "unknown");
        return column;
    }

    /// <summary>The same check on a schema shape (an estimator's view of the data before fitting).</summary>
    public static SchemaShape.Column Require(SchemaShape shape, string name, string role, Func<SchemaShape.Column, bool> isValid, string expected)
    {
        if (!shape.TryFindColumn(name, out var column)) throw Missing(name, role, shape.Select(c => c.Name));
        if (!isValid(column)) throw Mistyped(name, role, expected, $"{column.ItemType}{(column.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : " vector")}");
        return column;
    }

    private static SchemaException Missing(string name, string role, IEnumerable<string> available) =>
        new($"Column '{name}' ({role}) not found; the data has: {string.Join(", ", available.Distinct())}.");

    private static SchemaException Mistyped(string name, string role, string expected, string actual) =>
        new($"Column '{name}' ({role}) must be {expected}, but is {actual}.");
}
