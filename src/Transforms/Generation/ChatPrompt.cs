using Microsoft.Extensions.AI;
using MLNet.Transformers.Models.Generation;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// How <see cref="TextGeneratorChatClient"/> turns a conversation into a GPT-2 prompt and chat options into generation
/// options. GPT-2 has no chat template (it was trained on plain web text, not on conversations), so the prompt is
/// plain text: the options' <see cref="ChatOptions.Instructions"/> (when given) and then every message's text, in order,
/// each followed by <see cref="Separator"/>; roles and author names are not written. A model fine-tuned on a
/// conversation format would be given that format directly, as the text of one message.
/// </summary>
public static class ChatPrompt
{
    /// <summary>What follows each message's text in the prompt: a newline.</summary>
    public const string Separator = "\n";

    /// <summary>The prompt of <paramref name="messages"/> under <paramref name="options"/> (see <see cref="ChatPrompt"/>).</summary>
    public static string Format(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var texts = messages.Select(message => message.Text);
        if (!string.IsNullOrEmpty(options?.Instructions)) texts = texts.Prepend(options.Instructions);
        return string.Concat(texts.Select(text => text + Separator));
    }

    /// <summary>
    /// <paramref name="options"/> mapped onto <paramref name="defaults"/>: <see cref="ChatOptions.MaxOutputTokens"/> →
    /// <see cref="GenerationOptions.MaxNewTokens"/>, <see cref="ChatOptions.Seed"/> → <see cref="GenerationOptions.Seed"/>,
    /// and <see cref="ChatOptions.Temperature"/>, <see cref="ChatOptions.TopK"/>, <see cref="ChatOptions.TopP"/> to
    /// theirs, any of them turning sampling on, except a temperature of 0, which means greedy decoding (as chat
    /// services read it). Options left null keep the defaults.
    /// </summary>
    /// <exception cref="NotSupportedException">A frequency or presence penalty, or tools, are asked for: GPT-2 generation has neither.</exception>
    public static GenerationOptions ToGenerationOptions(ChatOptions? options, GenerationOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        if (options is null) return defaults;
        if (options.FrequencyPenalty is not null) throw new NotSupportedException("FrequencyPenalty is not supported; use GenerationOptions.RepetitionPenalty.");
        if (options.PresencePenalty is not null) throw new NotSupportedException("PresencePenalty is not supported; use GenerationOptions.RepetitionPenalty.");
        if (options.Tools is { Count: > 0 }) throw new NotSupportedException("Tools are not supported: GPT-2 does not call functions.");
        var greedy = options.Temperature == 0f;
        var sample = !greedy && (defaults.Sample || options.Temperature is not null || options.TopK is not null || options.TopP is not null);
        return new GenerationOptions
        {
            MaxNewTokens = options.MaxOutputTokens ?? defaults.MaxNewTokens,
            Sample = sample,
            Temperature = greedy ? defaults.Temperature : options.Temperature ?? defaults.Temperature,
            TopK = options.TopK ?? defaults.TopK,
            TopP = options.TopP ?? defaults.TopP,
            RepetitionPenalty = defaults.RepetitionPenalty,
            Seed = options.Seed is { } seed ? unchecked((ulong)seed) : defaults.Seed,
            UseKeyValueCache = defaults.UseKeyValueCache,
        };
    }
}
