using MLNet.Transformers.Data;
using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Transforms;

/// <summary>A component's tokenizer files as entries of the model zip, so a saved pipeline carries its tokenizer.</summary>
internal static class TokenizerEntries
{
    /// <summary>Writes every file as an entry of the component.</summary>
    public static void Save(ModelSaveContext ctx, TokenizerFiles files)
    {
        foreach (var (name, bytes) in files.Files)
        {
            using var entry = ctx.CreateEntry(name);
            entry.Write(bytes);
        }
    }

    /// <summary>The tokenizer files a component saved with <see cref="Save"/>.</summary>
    public static TokenizerFiles Load(ModelLoadContext ctx) => TokenizerFiles.FromContents(
        TokenizerFiles.KnownNames.Where(ctx.ContainsEntry).ToDictionary(name => name, name =>
        {
            using var entry = ctx.OpenEntry(name);
            using var copy = new MemoryStream();
            entry.CopyTo(copy);
            return copy.ToArray();
        }));
}
