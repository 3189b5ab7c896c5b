using System.Buffers;

namespace MLNet.Transformers.Data;

/// <summary>
/// The only entry names a model file may hold: relative paths of segments made of letters, digits, '.', '_' and
/// '-', never '.' or '..' alone. Nothing can escape the archive or collide with a drive or device name.
/// </summary>
internal static class EntryNames
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    /// <summary>Whether <paramref name="name"/> is a safe entry path (a trailing '/' marks a directory).</summary>
    public static bool IsSafe(string name)
    {
        var path = name.EndsWith('/') ? name[..^1] : name;
        if (path.Length == 0) return false;
        foreach (var range in path.AsSpan().Split('/'))
        {
            var segment = path.AsSpan()[range];
            if (segment.IsEmpty || segment is "." or ".." || segment.ContainsAnyExcept(Allowed)) return false;
        }
        return true;
    }

    /// <summary>Throws unless <paramref name="name"/> is a safe single segment for a component to use.</summary>
    public static void RequireSegment(string name)
    {
        if (name.Contains('/') || !IsSafe(name))
            throw new ArgumentException($"'{name}' is not a valid model entry name: use letters, digits, '.', '_' and '-' only.", nameof(name));
    }
}
