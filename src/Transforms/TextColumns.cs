using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Pipeline;

namespace MLNet.Transformers.Transforms;

/// <summary>The schema checks shared by the text transforms: a text column and an optional second text column.</summary>
internal static class TextColumns
{
    private const string Expected = "Text";

    /// <summary>The text column and the pair column (when named) of <paramref name="schema"/>; throws naming a missing or mistyped one.</summary>
    public static (DataViewSchema.Column Text, DataViewSchema.Column? Pair) Require(DataViewSchema schema, string input, string? pair, string role)
    {
        var text = SchemaException.Require(schema, input, role, t => t is TextDataViewType, Expected);
        return (text, pair is null ? null : SchemaException.Require(schema, pair, role, t => t is TextDataViewType, Expected));
    }

    /// <summary>The same checks on a schema shape.</summary>
    public static void Require(SchemaShape shape, string input, string? pair, string role)
    {
        static bool IsText(SchemaShape.Column c) => c.Kind == SchemaShape.Column.VectorKind.Scalar && c.ItemType is TextDataViewType;
        SchemaException.Require(shape, input, role, IsText, Expected);
        if (pair is not null) SchemaException.Require(shape, pair, role, IsText, Expected);
    }

    /// <summary>The strings of a batch's text values.</summary>
    public static string[] Strings(ReadOnlySpan<ReadOnlyMemory<char>> values)
    {
        var strings = new string[values.Length];
        for (var i = 0; i < values.Length; i++) strings[i] = values[i].ToString();
        return strings;
    }

    /// <summary>Throws, naming <paramref name="entry"/>, unless every column name read back from a model is non-empty.</summary>
    public static void RequireNames(ModelReader reader, string entry, params string?[] names)
    {
        if (names.Any(string.IsNullOrEmpty)) throw reader.Corrupt(entry, "an empty or missing column name");
    }
}
