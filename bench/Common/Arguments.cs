namespace MLNet.Transformers.Bench;

/// <summary>The <c>--name value</c> pairs after a command, with typed look-ups and defaults.</summary>
internal sealed class Arguments(string[] args)
{
    public string? Text(string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    public string Required(string name) => Text(name) ?? throw new ArgumentException($"{name} is required.");

    public int Int(string name, int fallback) => Text(name) is { } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => Text(name) is { } value ? double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    /// <summary>Whether the bare flag <paramref name="name"/> is present.</summary>
    public bool Flag(string name) => Array.IndexOf(args, name) >= 0;

    /// <summary>Every value after <paramref name="name"/> up to the next option.</summary>
    public string[] Many(string name) => [.. args.SkipWhile(a => a != name).Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal))];
}
