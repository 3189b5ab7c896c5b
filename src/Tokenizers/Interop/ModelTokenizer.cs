using MLNet.Transformers.Tokenizers.Loading;
using MicrosoftTokenizer = Microsoft.ML.Tokenizers.Tokenizer;

namespace MLNet.Transformers.Tokenizers.Interop;

/// <summary>
/// The tokenizer a model runs with when it is given a <c>Microsoft.ML.Tokenizers.Tokenizer</c> object. Ours
/// (<see cref="HuggingFaceTokenizer"/>) runs as it is, on a copy of its own. Any other cuts text into ids, and the
/// model's own tokenizer files give the rest: the added tokens, the special tokens and type ids around the text (the
/// post-processor) and the truncation length. Of a <c>tokenizer.json</c> only those parts are read, so its model may be
/// one only Microsoft's library runs (SentencePiece, say).
/// </summary>
public static class ModelTokenizer
{
    /// <summary>
    /// The tokenizer an option gives, or, when it gives none, the one of <paramref name="modelFiles"/>; and the files a
    /// saved model carries (see <see cref="FromMicrosoft"/>).
    /// </summary>
    /// <param name="given">The option's tokenizer, or null.</param>
    /// <param name="modelFiles">Reads the model's own tokenizer files.</param>
    /// <param name="optionName">The option, for messages.</param>
    public static (Tokenizer Tokenizer, TokenizerFiles Files) Resolve(MicrosoftTokenizer? given, Func<TokenizerFiles> modelFiles, string optionName)
    {
        ArgumentNullException.ThrowIfNull(modelFiles);
        if (given is not null) return FromMicrosoft(given, modelFiles, optionName);
        var files = modelFiles();
        return (files.Load(), files);
    }

    /// <summary>The tokenizer to run and the files a saved model carries (not writable for a tokenizer without files).</summary>
    /// <param name="tokenizer">The tokenizer given.</param>
    /// <param name="modelFiles">Reads the model's own tokenizer files (used only for a tokenizer that is not ours).</param>
    /// <param name="optionName">The option it was given in, for messages.</param>
    public static (Tokenizer Tokenizer, TokenizerFiles Files) FromMicrosoft(MicrosoftTokenizer tokenizer, Func<TokenizerFiles> modelFiles, string optionName)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(modelFiles);
        if (tokenizer is HuggingFaceTokenizer { Files: { } files }) return (files.Load(), files);
        var notWritable = TokenizerFiles.NotWritable(
            $"This model's tokenizer, a {tokenizer.GetType().FullName} passed in {optionName}, has no files to save with the model, so "
            + "the model cannot be saved (nor checkpointed, nor exported). Pass HuggingFaceTokenizer.Load(path) or set the tokenizer path "
            + "instead to save it, or keep this model in memory.");
        if (tokenizer is HuggingFaceTokenizer { Inner: var inner })
            return (new Tokenizer(inner.Model, inner.Normalizer, inner.PreTokenizer, inner.PostProcessor, inner.Decoder, inner.AddedTokens)
                { Settings = EncodingSettings.None with { Truncation = inner.Settings.Truncation } }, notWritable);
        var processing = modelFiles().LoadProcessing();
        var model = new MicrosoftTokenizerModel(tokenizer, processing.AddedTokens.Where(token => token.Special));
        return (new Tokenizer(model, postProcessor: processing.PostProcessor, addedTokens: processing.AddedTokens) { Settings = EncodingSettings.None with { Truncation = processing.Truncation } },
            notWritable);
    }

    /// <summary>
    /// Why <paramref name="tokenizer"/> does not fit a model whose embedding table has <paramref name="embeddingRows"/>
    /// rows (its <c>vocab_size</c>): a message naming both numbers when its vocabulary size differs, else null.
    /// </summary>
    public static string? VocabularyMismatch(Tokenizer tokenizer, int embeddingRows, string optionName)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var size = tokenizer.VocabularySize;
        var name = tokenizer.Model is MicrosoftTokenizerModel external ? external.TokenizerName : nameof(HuggingFaceTokenizer);
        return size == embeddingRows ? null
            : $"The tokenizer passed in {optionName} ({name}) has a vocabulary of {size} tokens, but the model's embedding table has "
                + $"{embeddingRows} rows (vocab_size); a tokenizer must have exactly the model's vocabulary.";
    }
}
