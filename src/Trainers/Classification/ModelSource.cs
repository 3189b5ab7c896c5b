using MLNet.Transformers.Models;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Interop;
using MLNet.Transformers.Tokenizers.Loading;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// What a fine-tuning run starts from: a checkpoint's configuration and tokenizer, or a fresh preset's configuration
/// with the given tokenizer, and the token limit, checked against the model's positions. The model family follows the
/// checkpoint's <c>model_type</c>: <c>gpt2</c> is a decoder (<paramref name="Decoder"/>), anything else a BERT-family
/// encoder (<paramref name="Config"/>); exactly one of the two is set.
/// </summary>
/// <param name="Config">A BERT-family model's configuration (its class labels not yet set), or null.</param>
/// <param name="Decoder">A GPT-2 model's configuration (its class labels not yet set), or null.</param>
/// <param name="Tokenizer">The tokenizer.</param>
/// <param name="TokenizerFiles">The tokenizer's files, saved with the model.</param>
/// <param name="MaxTokens">The longest token sequence: <see cref="TextClassificationOptions.MaxTokens"/> or its default.</param>
internal sealed record ModelSource(BertConfig? Config, Gpt2Config? Decoder, Tokenizer Tokenizer, TokenizerFiles TokenizerFiles, int MaxTokens)
{
    /// <summary>Reads the checkpoint (or builds the preset) the options name.</summary>
    /// <exception cref="InvalidOptionException">MaxTokens is more than the model has positions for (the message names the limit); a
    /// Microsoft tokenizer's vocabulary is not the checkpoint's size (the message names both); checkpointing with a tokenizer that cannot be written.</exception>
    /// <exception cref="FileNotFoundException">The checkpoint or tokenizer is not there (for an ONNX export: no tokenizer beside it and none named).</exception>
    /// <exception cref="InvalidDataException">The checkpoint's configuration is not valid.</exception>
    public static ModelSource Resolve(TextClassificationOptions options)
    {
        var (tokenizer, tokenizerFiles) = LoadTokenizer(options);
        if (options.CheckpointDirectory is not null && tokenizerFiles.NotWritableReason is { } reason)
            throw new InvalidOptionException(nameof(TextClassificationOptions.CheckpointDirectory), options.CheckpointDirectory,
                $"none when the tokenizer cannot be written ({reason})");
        if (options.ModelPath is { } decoderPath && Directory.Exists(decoderPath) && Gpt2Config.IsGpt2Checkpoint(decoderPath))
            return ResolveDecoder(options, decoderPath, tokenizer, tokenizerFiles);
        var (config, limit) = options.ModelPath is { } path
            ? (BertConfig.Load(path), $"the checkpoint's max_position_embeddings, in {ConfigLocation(path)}")
            : (BertPresets.Create(options.Preset, tokenizer.VocabularySize, BertPresets.DefaultMaxPositionEmbeddings, TextEncoder.FindPadTokenId(tokenizer)),
                $"the positions of a fresh '{options.Preset}' model");
        if (options.Tokenizer is not null && options.ModelPath is { } checkpoint && tokenizer.VocabularySize != config.VocabSize)
            throw new InvalidOptionException(nameof(TextClassificationOptions.Tokenizer), $"a tokenizer of {tokenizer.VocabularySize} tokens",
                $"a tokenizer of the model's vocabulary, {config.VocabSize} tokens (the embedding table's rows, vocab_size in {ConfigLocation(checkpoint)})");
        var positions = options.IsRecurrent ? int.MaxValue : config.MaxSequenceLength; // a recurrent network has no position table
        if (options.MaxTokens > positions)
            throw new InvalidOptionException(nameof(TextClassificationOptions.MaxTokens), options.MaxTokens, $"at most {positions} ({limit})");
        return new ModelSource(config, null, tokenizer, tokenizerFiles, options.MaxTokens ?? Math.Min(TextClassificationOptions.DefaultMaxTokens, positions));
    }

    /// <summary>A GPT-2 checkpoint: its configuration and positions, checked against the tokenizer and MaxTokens.</summary>
    private static ModelSource ResolveDecoder(TextClassificationOptions options, string path, Tokenizer tokenizer, TokenizerFiles tokenizerFiles)
    {
        var config = Gpt2Config.Load(path);
        var location = Path.Combine(path, Gpt2Config.FileName);
        if (tokenizer.VocabularySize > config.VocabSize)
            throw new InvalidOptionException(options.Tokenizer is null ? nameof(TextClassificationOptions.TokenizerPath) : nameof(TextClassificationOptions.Tokenizer),
                $"a tokenizer of {tokenizer.VocabularySize} tokens", $"a tokenizer of at most the model's vocabulary, {config.VocabSize} tokens (vocab_size in {location})");
        if (options.MaxTokens > config.MaxPositions)
            throw new InvalidOptionException(nameof(TextClassificationOptions.MaxTokens), options.MaxTokens, $"at most {config.MaxPositions} (the checkpoint's n_positions, in {location})");
        return new ModelSource(null, config, tokenizer, tokenizerFiles, options.MaxTokens ?? Math.Min(TextClassificationOptions.DefaultMaxTokens, config.MaxPositions));
    }

    /// <summary>The tokenizer of the options' path (or the checkpoint's), or their Microsoft tokenizer with that path's special tokens.</summary>
    private static (Tokenizer Tokenizer, TokenizerFiles Files) LoadTokenizer(TextClassificationOptions options)
    {
        TokenizerFiles PathFiles() => TokenizerFiles.FromPath(options.TokenizerPath ?? CheckpointFiles.TokenizerLocation(options.ModelPath!));
        return ModelTokenizer.Resolve(options.Tokenizer, PathFiles, $"{nameof(TextClassificationOptions)}.{nameof(TextClassificationOptions.Tokenizer)}");
    }

    /// <summary>Where a checkpoint's configuration is read: a directory's <c>config.json</c>, or the ONNX export itself (its metadata or graph, unless a <c>config.json</c> is beside it).</summary>
    private static string ConfigLocation(string path) => OnnxCheckpoint.IsOnnxFile(path) ? path : Path.Combine(path, BertConfig.FileName);
}
