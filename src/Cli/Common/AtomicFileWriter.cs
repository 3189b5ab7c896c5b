using System.Text;

namespace MLNet.Transformers.Cli.Common;

/// <summary>
/// Writes an output file so that it appears complete or not at all: the text goes to a temporary file in the same
/// folder, which <see cref="Commit"/> moves over the destination; disposing without committing deletes it.
/// </summary>
internal sealed class AtomicFileWriter : IDisposable
{
    private readonly string _temporaryPath;
    private bool _committed;

    /// <summary>Starts writing <paramref name="path"/> (UTF-8, no byte order mark).</summary>
    public AtomicFileWriter(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(directory)) throw new UserInputException($"{path}: the output folder {directory} does not exist.");
        _temporaryPath = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        Writer = new StreamWriter(_temporaryPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>The destination file.</summary>
    public string Path { get; }

    /// <summary>Where to write the content.</summary>
    public TextWriter Writer { get; }

    /// <summary>Flushes the content and puts it in place of the destination.</summary>
    public void Commit()
    {
        Writer.Dispose();
        File.Move(_temporaryPath, Path, overwrite: true);
        _committed = true;
    }

    /// <summary>Deletes the temporary file unless committed.</summary>
    public void Dispose()
    {
        if (_committed) return;
        Writer.Dispose();
        File.Delete(_temporaryPath);
    }
}
