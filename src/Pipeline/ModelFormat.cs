using Microsoft.ML;

namespace MLNet.Transformers.Pipeline;

/// <summary>
/// How a transformer of ours is stored in ML.NET's model zip: the 8-character model signature and format version
/// ML.NET writes in the component's header, and the loader ML.NET finds by <see cref="LoaderSignature"/> in
/// <see cref="LoaderAssembly"/> (loaded by name in a fresh process, with no registration call).
/// </summary>
/// <param name="ModelSignature">Eight ASCII characters naming the kind of component.</param>
/// <param name="Version">The entry layout written now; loading refuses a newer one.</param>
/// <param name="OldestReadable">The oldest entry layout this build still reads.</param>
/// <param name="LoaderSignature">The name the component's <c>LoadableClass</c> registration is found by.</param>
/// <param name="LoaderAssembly">The assembly declaring that registration.</param>
public sealed record ModelFormat(string ModelSignature, uint Version, uint OldestReadable, string LoaderSignature, System.Reflection.Assembly LoaderAssembly)
{
    /// <summary>The length of a model signature: ML.NET stores it as one 64-bit word of ASCII.</summary>
    public const int ModelSignatureLength = 8;

    /// <summary>The longest loader signature ML.NET's model header holds.</summary>
    public const int MaxLoaderSignatureLength = 24;

    /// <summary>Eight ASCII characters naming the kind of component.</summary>
    public string ModelSignature { get; } = ModelSignature.Length == ModelSignatureLength && ModelSignature.All(char.IsAscii)
        ? ModelSignature
        : throw new ArgumentException($"A model signature is {ModelSignatureLength} ASCII characters; '{ModelSignature}' is not.", nameof(ModelSignature));

    /// <summary>The name the component's <c>LoadableClass</c> registration is found by.</summary>
    public string LoaderSignature { get; } = LoaderSignature.Length is > 0 and <= MaxLoaderSignatureLength
        ? LoaderSignature
        : throw new ArgumentException($"A loader signature is 1 to {MaxLoaderSignatureLength} characters (ML.NET's header holds no more); "
            + $"'{LoaderSignature}' has {LoaderSignature.Length}.", nameof(LoaderSignature));

    /// <summary>ML.NET's header record of this format.</summary>
    internal VersionInfo VersionInfo => new(ModelSignature, Version, Version, OldestReadable, LoaderAssembly.FullName, LoaderSignature);
}
