using System.Globalization;

namespace MLNet.Transformers.Data;

/// <summary>Parses one text field into a column's raw type.</summary>
internal delegate bool FieldParser<T>(ReadOnlyMemory<char> text, out T value);

/// <summary>
/// How text becomes values: invariant culture; an empty field is NaN for <see cref="float"/> and invalid for
/// <see cref="int"/> and <see cref="bool"/>; booleans are <c>true</c>/<c>false</c> (any case) or <c>1</c>/<c>0</c>.
/// </summary>
internal static class FieldParsers
{
    public static readonly FieldParser<ReadOnlyMemory<char>> Text = (ReadOnlyMemory<char> text, out ReadOnlyMemory<char> value) =>
    {
        value = text;
        return true;
    };

    public static readonly FieldParser<float> Single = (ReadOnlyMemory<char> text, out float value) =>
    {
        if (text.IsEmpty)
        {
            value = float.NaN;
            return true;
        }
        return float.TryParse(text.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    };

    public static readonly FieldParser<int> Int32 = (ReadOnlyMemory<char> text, out int value) =>
        int.TryParse(text.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    public static readonly FieldParser<bool> Boolean = (ReadOnlyMemory<char> text, out bool value) =>
    {
        var span = text.Span;
        if (span is "1" or "0")
        {
            value = span[0] == '1';
            return true;
        }
        return bool.TryParse(span, out value);
    };

    /// <summary>The parser for a scalar <paramref name="type"/> held as <typeparamref name="T"/>.</summary>
    public static FieldParser<T> For<T>(DataViewType type) => type switch
    {
        TextDataViewType => (FieldParser<T>)(object)Text,
        BooleanDataViewType => (FieldParser<T>)(object)Boolean,
        _ when type.Equals(NumberDataViewType.Single) => (FieldParser<T>)(object)Single,
        _ when type.Equals(NumberDataViewType.Int32) => (FieldParser<T>)(object)Int32,
        _ => throw new NotSupportedException($"Columns of type {type} cannot be read from text."),
    };

    /// <summary>Whether a column of <paramref name="type"/> can be read from text fields.</summary>
    public static bool CanParse(DataViewType type) => type switch
    {
        TextDataViewType or BooleanDataViewType => true,
        NumberDataViewType => true,
        VectorDataViewType v => v.ItemType.Equals(NumberDataViewType.Single),
        _ => false,
    };

    /// <summary>The text form of a value, which the matching parser reads back to the same value.</summary>
    public static string Format<T>(T value) => value switch
    {
        ReadOnlyMemory<char> text => text.ToString(),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => throw new NotSupportedException($"Values of {typeof(T).Name} have no text form."),
    };
}
