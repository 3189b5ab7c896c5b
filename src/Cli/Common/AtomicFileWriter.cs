using System.Text;

namespace MLNet.Transformers.Cli.Common;

/// <summary>
/// Writes an output file so that it appears complete or not at all: the content goes to a temporary file in the same
/// folder, which <see cref="Commit"/> moves over the destination; disposing without committing deletes it. Errors name
/// the destination the user gave, never the temporary file.
/// </summary>
internal sealed class AtomicFileWriter : IDisposable
{
    private readonly string _userPath;
    private readonly string _temporaryPath;
    private readonly FileStream _stream;
    private StreamWriter? _writer;
    private bool _committed;

    /// <summary>Starts writing <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The destination is a folder, its folder does not exist, or it cannot be written.</exception>
    public AtomicFileWriter(string path)
    {
        _userPath = path;
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        if (Directory.Exists(Path)) throw new UserInputException($"{path}: is a folder; the output must be a file name.");
        if (!Directory.Exists(directory)) throw new UserInputException($"{path}: the output folder {directory} does not exist.");
        _temporaryPath = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        _stream = Guard(() => new FileStream(_temporaryPath, FileMode.CreateNew, FileAccess.Write));
    }

    /// <summary>The destination file.</summary>
    public string Path { get; }

    /// <summary>Where to write binary content (e.g. a model zip).</summary>
    public Stream Stream => _stream;

    /// <summary>Where to write text content (UTF-8, no byte order mark).</summary>
    public TextWriter Writer => _writer ??= new StreamWriter(_stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);

    /// <summary>Flushes the content and puts it in place of the destination.</summary>
    /// <exception cref="UserInputException">The destination cannot be written.</exception>
    public void Commit()
    {
        Guard(() =>
        {
            _writer?.Dispose();
            _stream.Dispose();
            File.Move(_temporaryPath, Path, overwrite: true);
            return _committed = true;
        });
    }

    /// <summary>Deletes the temporary file unless committed.</summary>
    public void Dispose()
    {
        if (_committed) return;
        try
        {
            _writer?.Dispose();
        }
        catch (IOException)
        {
            // The write already failed (a full disk, say); the temporary file goes anyway.
        }
        _stream.Dispose();
        File.Delete(_temporaryPath);
    }

    /// <summary>Runs a file operation, turning an I/O failure into a message that names the user's destination.</summary>
    private T Guard<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{_userPath}: cannot write the output ({CliErrors.OneLine(error.Message.Replace(_temporaryPath, Path))}).");
        }
    }
}
