using System.Linq.Expressions;
using System.Reflection;

namespace MLNet.Transformers.Data;

/// <summary>
/// One public field or property of <typeparamref name="TRow"/> seen as a column: its name (the member's, or
/// <see cref="ColumnNameAttribute"/>), its type, and how to read and write it as the column's raw type.
/// </summary>
internal abstract class MemberColumn<TRow>
{
    private readonly DataViewType? _type;
    private readonly string? _typeError;

    /// <summary>A member column of <paramref name="type"/>, or, when the member's type alone does not say
    /// (a uint without [KeyType]), one that can receive values but not define a schema.</summary>
    protected MemberColumn(MemberInfo member, DataViewType? type, Type rawType, string? typeError)
    {
        Member = member;
        Name = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
        _type = type;
        _typeError = typeError;
        RawType = rawType;
        Load = member.GetCustomAttribute<LoadColumnAttribute>();
    }

    public MemberInfo Member { get; }

    public string Name { get; }

    /// <summary>The column type, for members that define an input schema.</summary>
    public DataViewType Type => _type ?? throw new InvalidOperationException(_typeError);

    /// <summary>The raw type of the member's values, which must match a column's to be filled from it.</summary>
    public Type RawType { get; }

    public LoadColumnAttribute? Load { get; }

    public abstract bool CanWrite { get; }

    /// <summary>A getter of the member's value in the row <paramref name="current"/> returns when called.</summary>
    public abstract Delegate MakeGetter(Func<TRow> current);

    /// <summary>An action copying <paramref name="column"/>'s current value in <paramref name="row"/> into an object.</summary>
    public abstract Action<TRow> MakeSetter(DataViewRow row, DataViewSchema.Column column);

    /// <summary>The columns of <typeparamref name="TRow"/>, in declaration order.</summary>
    public static IReadOnlyList<MemberColumn<TRow>> All => Columns.Value;

    private static readonly Lazy<MemberColumn<TRow>[]> Columns = new(Discover);

    private static MemberColumn<TRow>[] Discover()
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        var members = typeof(TRow).GetFields(flags).Cast<MemberInfo>()
            .Concat(typeof(TRow).GetProperties(flags).Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0))
            .Where(m => m.GetCustomAttribute<NoColumnAttribute>() is null)
            .OrderBy(m => m.MetadataToken);
        return [.. members.Select(Create)];
    }

    private static MemberColumn<TRow> Create(MemberInfo member)
    {
        var memberType = member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;
        var vector = member.GetCustomAttribute<VectorTypeAttribute>();
        var key = member.GetCustomAttribute<KeyTypeAttribute>();
        string where = $"{typeof(TRow).Name}.{member.Name}";
        if (key is not null && memberType != typeof(uint))
            throw new InvalidOperationException($"{where} has [KeyType] but is {memberType.Name}; key members are uint.");
        if (vector is not null && memberType != typeof(float[]) && memberType != typeof(VBuffer<float>))
            throw new InvalidOperationException($"{where} has [VectorType] but is {memberType.Name}; vector members are float[] or VBuffer<float>.");
        var floats = new VectorDataViewType(NumberDataViewType.Single, vector?.Size ?? 0);
        return memberType switch
        {
            _ when memberType == typeof(string) => Make<string, ReadOnlyMemory<char>>(member, TextDataViewType.Instance, s => (s ?? "").AsMemory(), m => m.ToString()),
            _ when memberType == typeof(float) => Same<float>(member, NumberDataViewType.Single),
            _ when memberType == typeof(int) => Same<int>(member, NumberDataViewType.Int32),
            _ when memberType == typeof(bool) => Same<bool>(member, BooleanDataViewType.Instance),
            _ when memberType == typeof(uint) => key is null
                ? new Typed<uint, uint>(member, null, $"{where} is uint: mark it [KeyType(count)] to make it an input key column.", Accessors<uint>(member), v => v, v => v)
                : Same<uint>(member, new KeyDataViewType(key.Count)),
            _ when memberType == typeof(float[]) => Make<float[], VBuffer<float>>(member, floats, a => ToVector(a, floats, where), v => v.GetValues().ToArray()),
            _ when memberType == typeof(VBuffer<float>) => Make<VBuffer<float>, VBuffer<float>>(member, floats, v => CheckSize(v, floats, where), v => v),
            _ => throw new InvalidOperationException($"{where} is {memberType.Name}; columns are string, float, int, bool, uint keys, float[] or VBuffer<float>."),
        };
    }

    private static VBuffer<float> ToVector(float[]? values, VectorDataViewType type, string where) =>
        CheckSize(values is null ? default : new VBuffer<float>(values.Length, values), type, where);

    private static VBuffer<float> CheckSize(VBuffer<float> value, VectorDataViewType type, string where) =>
        !type.IsKnownSize || value.Length == type.Size ? value
            : throw new InvalidOperationException($"{where} holds {value.Length} items; its column is {type}.");

    private static MemberColumn<TRow> Same<T>(MemberInfo member, DataViewType type) => Make<T, T>(member, type, v => v, v => v);

    private static MemberColumn<TRow> Make<TMember, TRaw>(MemberInfo member, DataViewType type, Func<TMember, TRaw> toRaw, Func<TRaw, TMember> fromRaw) =>
        new Typed<TMember, TRaw>(member, type, null, Accessors<TMember>(member), toRaw, fromRaw);

    private static (Func<TRow, TMember> Get, Action<TRow, TMember>? Set) Accessors<TMember>(MemberInfo member)
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        var access = Expression.MakeMemberAccess(row, member);
        var get = Expression.Lambda<Func<TRow, TMember>>(access, row).Compile();
        bool writable = member is FieldInfo { IsInitOnly: false } || member is PropertyInfo { SetMethod.IsPublic: true };
        Action<TRow, TMember>? set = null;
        if (writable)
        {
            var value = Expression.Parameter(typeof(TMember), "value");
            set = Expression.Lambda<Action<TRow, TMember>>(Expression.Assign(access, value), row, value).Compile();
        }
        return (get, set);
    }

    private sealed class Typed<TMember, TRaw>(MemberInfo member, DataViewType? type, string? typeError,
        (Func<TRow, TMember> Get, Action<TRow, TMember>? Set) accessors, Func<TMember, TRaw> toRaw, Func<TRaw, TMember> fromRaw)
        : MemberColumn<TRow>(member, type, typeof(TRaw), typeError)
    {
        private readonly Func<TRow, TMember> _get = accessors.Get;
        private readonly Action<TRow, TMember>? _set = accessors.Set;

        public override bool CanWrite => _set is not null;

        public override Delegate MakeGetter(Func<TRow> current)
        {
            ValueGetter<TRaw> getter = (ref TRaw value) => value = toRaw(_get(current()));
            return getter;
        }

        public override Action<TRow> MakeSetter(DataViewRow row, DataViewSchema.Column column)
        {
            var source = row.GetGetter<TRaw>(column);
            var write = _set!;
            return target =>
            {
                TRaw value = default!;
                source(ref value);
                write(target, fromRaw(value));
            };
        }
    }
}
