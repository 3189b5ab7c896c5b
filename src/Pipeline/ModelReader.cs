using System.Text.Json;
using Microsoft.ML;

namespace MLNet.Transformers.Pipeline;

/// <summary>
/// Reads a transformer's entries from its directory of ML.NET's model zip, with the checks a damaged or hostile file
/// needs: a missing entry, invalid JSON or a newer format is refused with an <see cref="InvalidDataException"/>
/// naming the entry.
/// </summary>
public sealed class ModelReader
{
    private readonly ModelLoadContext _context;

    private ModelReader(ModelLoadContext context, uint version)
    {
        _context = context;
        Version = version;
    }

    /// <summary>The entry layout the transformer was saved with.</summary>
    public uint Version { get; }

    /// <summary>Opens the component ML.NET is loading, checking its header against <paramref name="format"/>.</summary>
    /// <exception cref="InvalidDataException">The component is not of this format, or was saved by a newer version.</exception>
    public static ModelReader Open(ModelLoadContext context, ModelFormat format)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(format);
        var header = context.Header;
        var written = header.ModelVerWritten;
        try
        {
            context.CheckAtModel(format.VersionInfo);
        }
        catch (Exception error) when (error is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"Model component '{context.Directory}' is not a readable {format.LoaderSignature} "
                + $"(saved with format version {written:X8}; this version reads {format.OldestReadable:X8} to {format.Version:X8}): {error.Message}", error);
        }
        return new ModelReader(context, written);
    }

    /// <summary>Whether the component has entry <paramref name="name"/>.</summary>
    public bool Contains(string name) => _context.TryLoadBinaryStream(name, _ => { });

    /// <summary>Reads entry <paramref name="name"/> with <paramref name="read"/>; the stream is valid during the call only.</summary>
    /// <exception cref="InvalidDataException">The entry is missing.</exception>
    public T Read<T>(string name, Func<Stream, T> read)
    {
        ModelEntryNames.Require(name);
        var result = default(T);
        if (!_context.TryLoadBinaryStream(name, reader => result = read(reader.BaseStream)))
            throw Corrupt(name, "nothing: the entry is missing");
        return result!;
    }

    /// <summary>Reads entry <paramref name="name"/> as JSON.</summary>
    /// <exception cref="InvalidDataException">The entry is missing or is not valid JSON of <typeparamref name="T"/>.</exception>
    public T ReadJson<T>(string name)
    {
        try
        {
            return Read(name, stream => JsonSerializer.Deserialize<T>(stream, ModelEntryNames.Json)) ?? throw Corrupt(name, "null");
        }
        catch (JsonException error)
        {
            throw Corrupt(name, $"invalid JSON ({error.Message})");
        }
    }

    /// <summary>Reads entry <paramref name="name"/> as UTF-8 text.</summary>
    public string ReadText(string name) => Read(name, stream => new StreamReader(stream).ReadToEnd());

    /// <summary>Reads entry <paramref name="name"/> whole.</summary>
    public byte[] ReadBytes(string name) => Read(name, stream =>
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The path of entry <paramref name="name"/> inside the zip, for messages.</summary>
    public string PathOf(string name) => $"{_context.Directory}/{name}";

    /// <summary>An error saying entry <paramref name="name"/> holds <paramref name="what"/>, which is not valid.</summary>
    public InvalidDataException Corrupt(string name, string what) => new($"Model entry '{PathOf(name)}' is not valid: it holds {what}.");
}
