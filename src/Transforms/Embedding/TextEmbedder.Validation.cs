using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Transforms;

public sealed partial class TextEmbedder
{
    /// <summary>Checks the settings against the model and tokenizer; a negative overlap becomes the default one.</summary>
    private static TextEmbeddingSettings Validate(TextEmbeddingSettings settings, BertConfig config, Tokenizer tokenizer)
    {
        if (settings.PoolingModes is not { Count: > 0 }) throw new ArgumentException("At least one pooling mode is needed.", nameof(TextEmbeddingOptions.Pooling));
        foreach (var mode in settings.PoolingModes) RequireDefined(mode, nameof(TextEmbeddingOptions.Pooling));
        RequireDefined(settings.LongTextMode, nameof(TextEmbeddingOptions.LongTextMode));
        RequireDefined(settings.Precision, nameof(TextEmbeddingOptions.Precision));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.BatchSize, 1, nameof(TextEmbeddingOptions.BatchSize));
        var special = tokenizer.PostProcessor?.AddedTokenCount(isPair: false) ?? 0;
        if (settings.MaximumTokens <= special || settings.MaximumTokens > config.MaxSequenceLength)
            throw new ArgumentOutOfRangeException(nameof(TextEmbeddingOptions.MaximumTokens),
                $"MaximumTokens {settings.MaximumTokens} must be above the {special} special tokens and at most the model's {config.MaxSequenceLength} positions.");
        var windowText = settings.MaximumTokens - special;
        var overlap = settings.WindowOverlap < 0 ? windowText / TextEmbeddingOptions.DefaultWindowOverlapDivisor : settings.WindowOverlap;
        if (overlap >= windowText)
            throw new ArgumentOutOfRangeException(nameof(TextEmbeddingOptions.WindowOverlap),
                $"WindowOverlap {overlap} must be smaller than the {windowText} text tokens a window holds.");
        return settings with { WindowOverlap = overlap };
    }

    private static void RequireDefined<TEnum>(TEnum value, string option) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new ArgumentOutOfRangeException(option, $"{option} {value} is not one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }
}
