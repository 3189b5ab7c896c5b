using Microsoft.ML;

namespace MLNet.Transformers.Pipeline;

/// <summary>Schema shapes of an estimator's output: the input's columns with the estimator's added (or replaced).</summary>
public static class SchemaShapes
{
    /// <summary><paramref name="input"/> with <paramref name="outputs"/> added; an output replaces an input column of its name.</summary>
    public static SchemaShape With(SchemaShape input, IEnumerable<DataViewSchema.DetachedColumn> outputs)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(outputs);
        var added = SchemaShape.Create(builder.ToSchema());
        var names = added.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return new SchemaShape([.. input.Where(c => !names.Contains(c.Name)), .. added]);
    }
}
