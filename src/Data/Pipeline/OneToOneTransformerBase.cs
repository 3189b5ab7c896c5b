namespace MLNet.Transformers.Data;

/// <summary>
/// Base of transformers that compute one output column from one input column, for each of their column pairs. By
/// default the pairs are all they save (<c>columns.json</c>); transformers with learned state save more.
/// </summary>
public abstract class OneToOneTransformerBase : RowToRowTransformerBase
{
    private const string ColumnsEntry = "columns.json";

    /// <summary>A transformer over <paramref name="columns"/> (at least one).</summary>
    protected OneToOneTransformerBase(InputOutputColumnPair[] columns)
    {
        if (columns.Length == 0) throw new ArgumentException("At least one column is needed.", nameof(columns));
        ColumnPairs = columns;
    }

    /// <summary>The columns read and written.</summary>
    public IReadOnlyList<InputOutputColumnPair> ColumnPairs { get; }

    /// <inheritdoc />
    public override void Save(ModelSaveContext ctx) => ctx.WriteJson(ColumnsEntry, ColumnPairs);

    /// <summary>The column pairs written by <see cref="Save"/>.</summary>
    protected static InputOutputColumnPair[] LoadColumnPairs(ModelLoadContext ctx) => ctx.ReadJson<InputOutputColumnPair[]>(ColumnsEntry);

    /// <summary>The input column of each pair in <paramref name="schema"/>, each checked by <paramref name="isValid"/>
    /// (which receives the pair's index); throws a <see cref="SchemaException"/> naming the first that fails.</summary>
    protected DataViewSchema.Column[] RequireInputs(DataViewSchema schema, string role, Func<int, DataViewType, bool> isValid, Func<int, string> expected) =>
        [.. ColumnPairs.Select((pair, i) => SchemaException.Require(schema, pair.InputColumnName, role, type => isValid(i, type), expected(i)))];
}
