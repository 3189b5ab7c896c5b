using System.Globalization;

namespace MLNet.Transformers.Data;

/// <summary>Writes a <see cref="DataViewType"/> as text (<c>Text</c>, <c>Key&lt;3&gt;</c>, <c>Vector&lt;Single, 384&gt;</c>) and reads it back.</summary>
public static class DataViewTypeFormat
{
    /// <summary>The text form of <paramref name="type"/> (its <see cref="object.ToString"/>).</summary>
    public static string Format(DataViewType type) => type.ToString();

    /// <summary>Parses the text form; throws <see cref="FormatException"/> naming the text when it is not a type.</summary>
    public static DataViewType Parse(string text)
    {
        var t = text.Trim();
        if (t.StartsWith("Vector<", StringComparison.Ordinal) && t.EndsWith('>'))
        {
            var inner = t["Vector<".Length..^1];
            int comma = inner.IndexOf(',');
            bool sized = comma >= 0;
            var item = Parse(sized ? inner[..comma] : inner) as PrimitiveDataViewType ?? throw Bad(text);
            int size = sized && int.TryParse(inner[(comma + 1)..], NumberStyles.None | NumberStyles.AllowLeadingWhite, CultureInfo.InvariantCulture, out int s) && s > 0 ? s
                : sized ? throw Bad(text) : 0;
            return new VectorDataViewType(item, size);
        }
        if (t.StartsWith("Key<", StringComparison.Ordinal) && t.EndsWith('>'))
            return ulong.TryParse(t["Key<".Length..^1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong count) && count is > 0 and <= uint.MaxValue
                ? new KeyDataViewType(count) : throw Bad(text);
        return t switch
        {
            "Text" => TextDataViewType.Instance,
            "Boolean" => BooleanDataViewType.Instance,
            "Single" => NumberDataViewType.Single,
            "Int32" => NumberDataViewType.Int32,
            _ => throw Bad(text),
        };
    }

    private static FormatException Bad(string text) => new($"'{text}' is not a column type (Text, Boolean, Single, Int32, Key<N>, Vector<T>, Vector<T, N>).");
}
