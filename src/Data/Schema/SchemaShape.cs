using System.Collections;

namespace MLNet.Transformers.Data;

/// <summary>
/// What an estimator knows about columns before seeing data: names, kinds and item types, but not key counts or
/// vector sizes. Estimators check and propagate it in <see cref="IEstimator{TTransformer}.GetOutputSchema"/> so a
/// pipeline fails on a missing or mistyped column before any work is done.
/// </summary>
public sealed class SchemaShape : IReadOnlyList<SchemaShape.Column>
{
    private readonly Column[] _columns;

    /// <summary>A shape holding <paramref name="columns"/>; a later column replaces an earlier one of the same name.</summary>
    public SchemaShape(IEnumerable<Column> columns)
    {
        var byName = new List<Column>();
        foreach (var column in columns)
        {
            int existing = byName.FindIndex(c => c.Name == column.Name);
            if (existing >= 0) byName.RemoveAt(existing);
            byName.Add(column);
        }
        _columns = [.. byName];
    }

    /// <summary>The shape of the visible columns of <paramref name="schema"/>.</summary>
    public static SchemaShape Create(DataViewSchema schema) => new(schema.Where(c => !c.IsHidden).Select(Column.Of));

    /// <summary>The number of columns.</summary>
    public int Count => _columns.Length;

    /// <summary>The column at <paramref name="index"/>.</summary>
    public Column this[int index] => _columns[index];

    /// <summary>Finds the column named <paramref name="name"/>.</summary>
    public bool TryFindColumn(string name, out Column column)
    {
        int index = Array.FindIndex(_columns, c => c.Name == name);
        column = index >= 0 ? _columns[index] : default;
        return index >= 0;
    }

    /// <summary>
    /// The column named <paramref name="name"/>, checked by <paramref name="isValid"/>; throws a
    /// <see cref="SchemaException"/> naming the column, the <paramref name="role"/> and <paramref name="expected"/>.
    /// </summary>
    public Column RequireColumn(string name, string role, Func<Column, bool> isValid, string expected)
    {
        if (!TryFindColumn(name, out var column))
            throw SchemaException.Missing(name, role, _columns.Select(c => c.Name));
        if (!isValid(column))
            throw SchemaException.Mistyped(name, role, expected, column.ToString());
        return column;
    }

    /// <summary>This shape with <paramref name="added"/> columns (replacing any of the same names).</summary>
    public SchemaShape With(params Column[] added) => new([.. _columns, .. added]);

    /// <inheritdoc />
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Whether a column holds one value, a fixed-size vector or a variable-size vector.</summary>
    public enum VectorKind
    {
        /// <summary>One value per row.</summary>
        Scalar,
        /// <summary>A vector of a size fixed for the column.</summary>
        Vector,
        /// <summary>A vector whose size varies by row.</summary>
        VariableVector,
    }

    /// <summary>The shape of one column.</summary>
    /// <param name="Name">The column's name.</param>
    /// <param name="Kind">Scalar or vector.</param>
    /// <param name="ItemType">The type of the value or of each vector item (for keys, any key type).</param>
    /// <param name="IsKey">Whether the values are keys.</param>
    /// <param name="AnnotationKinds">The annotations the column carries.</param>
    public readonly record struct Column(string Name, VectorKind Kind, DataViewType ItemType, bool IsKey, IReadOnlyCollection<string> AnnotationKinds)
    {
        /// <summary>The shape of a schema column.</summary>
        public static Column Of(DataViewSchema.Column column)
        {
            var (kind, item) = column.Type switch
            {
                VectorDataViewType v => (v.IsKnownSize ? VectorKind.Vector : VectorKind.VariableVector, (DataViewType)v.ItemType),
                var t => (VectorKind.Scalar, t),
            };
            return new Column(column.Name, kind, item, item is KeyDataViewType, column.Annotations.Kinds.ToArray());
        }

        /// <inheritdoc />
        public override string ToString() => Kind switch
        {
            VectorKind.Scalar => IsKey ? "Key" : ItemType.ToString(),
            VectorKind.Vector => $"Vector<{(IsKey ? "Key" : ItemType)}, fixed size>",
            _ => $"Vector<{(IsKey ? "Key" : ItemType)}>",
        };
    }
}
