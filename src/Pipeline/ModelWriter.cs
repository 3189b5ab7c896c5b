using System.Text.Json;
using Microsoft.ML;

namespace MLNet.Transformers.Pipeline;

/// <summary>
/// Writes a transformer's entries into its directory of ML.NET's model zip. Each entry is streamed into the zip as it
/// is written, so a weight file of gigabytes is never held whole.
/// </summary>
public sealed class ModelWriter
{
    private readonly ModelSaveContext _context;

    internal ModelWriter(ModelSaveContext context) => _context = context;

    /// <summary>Writes entry <paramref name="name"/> with <paramref name="write"/>.</summary>
    public void Write(string name, Action<Stream> write)
    {
        ModelEntryNames.Require(name);
        _context.SaveBinaryStream(name, writer =>
        {
            writer.Flush();
            write(writer.BaseStream);
        });
    }

    /// <summary>Writes <paramref name="value"/> as JSON into entry <paramref name="name"/>.</summary>
    public void WriteJson<T>(string name, T value) => Write(name, stream => JsonSerializer.Serialize(stream, value, ModelEntryNames.Json));

    /// <summary>Writes <paramref name="text"/> (UTF-8) into entry <paramref name="name"/>.</summary>
    public void WriteText(string name, string text) => Write(name, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(text);
    });

    /// <summary>Writes <paramref name="bytes"/> into entry <paramref name="name"/>.</summary>
    public void WriteBytes(string name, byte[] bytes) => Write(name, stream => stream.Write(bytes));
}
