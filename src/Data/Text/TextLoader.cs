namespace MLNet.Transformers.Data;

/// <summary>The kind of values a text column holds (the subset of ML.NET's <c>DataKind</c> this layer reads).</summary>
public enum DataKind
{
    /// <summary>Text.</summary>
    String,
    /// <summary>32-bit float; an empty field is NaN.</summary>
    Single,
    /// <summary>32-bit signed integer.</summary>
    Int32,
    /// <summary>Boolean: true/false or 1/0.</summary>
    Boolean,
}

/// <summary>
/// Reads delimited text files (TSV, CSV) as a data view, streaming: a cursor holds one record at a time and converts
/// only the fields of the columns it was asked for. A bad row (a missing field, an unparsable number, broken
/// quoting) is reported with its file, line and reason, and fails the read or is skipped as
/// <see cref="Options.BadRows"/> says.
/// </summary>
public sealed class TextLoader
{
    private readonly Options _options;
    private readonly IReadOnlyList<Column>? _columns;

    /// <summary>A loader reading <see cref="Options.Columns"/> (or, when null, every header field as text).</summary>
    public TextLoader(Options options) : this(options, options.Columns) { }

    private TextLoader(Options options, IReadOnlyList<Column>? columns)
    {
        if (options.Separators.Length == 0) throw new ArgumentException("At least one separator is needed.", nameof(options));
        _options = options;
        _columns = columns;
    }

    /// <summary>A loader reading the columns of <typeparamref name="TRow"/>: each member from its
    /// <see cref="LoadColumnAttribute"/> field(s), or, without one, from the header field of its column name.</summary>
    public static TextLoader CreateFor<TRow>(Options options) =>
        new(options, [.. MemberColumn<TRow>.All.Select(m => m.Load is { } load
            ? new Column(m.Name, m.Type, load.Start, load.End)
            : new Column(m.Name, m.Type, null, null))]);

    /// <summary>A view of the files of <paramref name="source"/> (the header is checked now; rows are read by cursors).</summary>
    public IDataView Load(IMultiStreamSource source)
    {
        if (source.Count == 0) throw new ArgumentException("The source has no streams.", nameof(source));
        string[]? header = _options.HasHeader ? ReadHeader(source) : null;
        var resolved = (_columns ?? HeaderAsText(header, source)).Select(c => c.Resolve(header, Describe(source, 0))).ToArray();
        return new TextDataView(source, _options, resolved);
    }

    /// <summary>A view of the file at <paramref name="path"/>.</summary>
    public IDataView Load(string path) => Load(new MultiFileSource(path));

    internal static string Describe(IMultiStreamSource source, int index) => source.GetPathOrNull(index) ?? $"stream {index}";

    internal static DelimitedRecordReader CreateReader(Stream stream, Options options) =>
        new(new StreamReader(stream, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16), options.Separators, options.AllowQuoting, options.TrimWhitespace);

    private string[] ReadHeader(IMultiStreamSource source)
    {
        using var reader = CreateReader(source.Open(0), _options);
        try
        {
            if (!reader.Read()) throw new BadRowException(Describe(source, 0), 1, "the file is empty, but a header row was expected");
        }
        catch (FormatException e) when (e is not BadRowException)
        {
            throw new BadRowException(Describe(source, 0), reader.LineNumber, $"header: {e.Message}");
        }
        return [.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.Field(i).ToString())];
    }

    private static Column[] HeaderAsText(string[]? header, IMultiStreamSource source) =>
        header is null
            ? throw new ArgumentException($"{Describe(source, 0)}: no columns were given and the file has no header to name them.")
            : [.. header.Select((name, i) => new Column(name, DataKind.String, i))];

    /// <summary>How to read a file.</summary>
    public sealed class Options
    {
        /// <summary>The columns to read; null reads every header field as a text column. Default null.</summary>
        public Column[]? Columns { get; init; }

        /// <summary>The characters that separate fields. Default a tab.</summary>
        public char[] Separators { get; init; } = ['\t'];

        /// <summary>Whether the first line of each file names the fields (and is not a row). Default false.</summary>
        public bool HasHeader { get; init; }

        /// <summary>Whether fields may be quoted with '"' (RFC 4180: separators, "" and line breaks inside). Default false.</summary>
        public bool AllowQuoting { get; init; }

        /// <summary>Whether spaces around fields are removed. Default false.</summary>
        public bool TrimWhitespace { get; init; }

        /// <summary>What to do with a row that cannot be read. Default <see cref="BadRowHandling.Fail"/>.</summary>
        public BadRowHandling BadRows { get; init; } = BadRowHandling.Fail;

        /// <summary>Called with each row skipped under <see cref="BadRowHandling.Skip"/>. Default none.</summary>
        public Action<BadRowException>? OnBadRow { get; init; }
    }

    /// <summary>A column to read: its name, kind, and the field (or the range of fields, for a vector) it comes from.</summary>
    public sealed class Column
    {
        /// <summary>A column read from the header field named <paramref name="name"/> (the file must have a header).</summary>
        public Column(string name, DataKind dataKind) : this(name, TypeOf(dataKind), null, null) { }

        /// <summary>A column read from field <paramref name="index"/> (0-based).</summary>
        public Column(string name, DataKind dataKind, int index) : this(name, dataKind, index, index) { }

        /// <summary>A column read from fields <paramref name="minIndex"/> to <paramref name="maxIndex"/>; more than one field makes a vector.</summary>
        public Column(string name, DataKind dataKind, int minIndex, int maxIndex)
            : this(name, minIndex == maxIndex ? TypeOf(dataKind) : new VectorDataViewType((PrimitiveDataViewType)TypeOf(dataKind), maxIndex - minIndex + 1), minIndex, maxIndex)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(minIndex);
            ArgumentOutOfRangeException.ThrowIfLessThan(maxIndex, minIndex);
        }

        internal Column(string name, DataViewType type, int? minIndex, int? maxIndex)
        {
            Name = name;
            Type = type;
            MinIndex = minIndex;
            MaxIndex = maxIndex;
        }

        /// <summary>The column's name in the view.</summary>
        public string Name { get; }

        /// <summary>The column's type.</summary>
        public DataViewType Type { get; }

        /// <summary>The first field read, or null to find the field by name in the header.</summary>
        public int? MinIndex { get; }

        /// <summary>The last field read, or null to find the field by name in the header.</summary>
        public int? MaxIndex { get; }

        internal ResolvedColumn Resolve(string[]? header, string file)
        {
            if (!FieldParsers.CanParse(Type))
                throw new SchemaException($"Column '{Name}' is {Type}, which cannot be read from text: read the values and map them (for keys, MapValueToKey).");
            if (MinIndex is int min && MaxIndex is int max)
            {
                int count = max - min + 1;
                if (Type is VectorDataViewType { IsKnownSize: true } v && v.Size != count)
                    throw new SchemaException($"Column '{Name}' is {Type} but reads {count} fields ({min}..{max}).");
                if (Type is not VectorDataViewType && count != 1)
                    throw new SchemaException($"Column '{Name}' is {Type}, a single value, but reads {count} fields ({min}..{max}).");
                return new ResolvedColumn(Name, Type is VectorDataViewType vt ? new VectorDataViewType(vt.ItemType, count) : Type, min, max);
            }
            if (header is null) throw new SchemaException($"Column '{Name}' has no field index, and {file} has no header to find it by name.");
            int index = Array.IndexOf(header, Name);
            if (index < 0) throw new SchemaException($"Column '{Name}' is not in the header of {file}; it has: {string.Join(", ", header)}.");
            if (Type is VectorDataViewType) throw new SchemaException($"Column '{Name}' is a vector: give its field range with [LoadColumn(start, end)].");
            return new ResolvedColumn(Name, Type, index, index);
        }

        private static DataViewType TypeOf(DataKind kind) => kind switch
        {
            DataKind.String => TextDataViewType.Instance,
            DataKind.Single => NumberDataViewType.Single,
            DataKind.Int32 => NumberDataViewType.Int32,
            DataKind.Boolean => BooleanDataViewType.Instance,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a data kind."),
        };
    }
}

/// <summary>A column bound to its field range.</summary>
internal sealed record ResolvedColumn(string Name, DataViewType Type, int Start, int End);
