using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using MLNet.Transformers.Models.Generation;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// A <see cref="TextGenerator"/> as a Microsoft.Extensions.AI <see cref="IChatClient"/>, so code written against chat
/// services runs a local GPT-2. The conversation becomes a plain-text prompt and the chat options generation options
/// as <see cref="ChatPrompt"/> describes (GPT-2 has no chat template); the reply is the generated text, cut before the
/// first of <see cref="ChatOptions.StopSequences"/>. Generation runs on the calling thread (CPU-bound), one call at a
/// time (later calls wait), checking the cancellation token after every token.
/// </summary>
public sealed class TextGeneratorChatClient : IChatClient
{
    /// <summary>The provider name reported in <see cref="Metadata"/>.</summary>
    public const string ProviderName = "MLNet.Transformers";

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Serves <paramref name="generator"/> under the model id <paramref name="modelId"/> (default: none), with
    /// <paramref name="defaults"/> for what the chat options leave unset (default: greedy, 50 new tokens).
    /// </summary>
    public TextGeneratorChatClient(TextGenerator generator, string? modelId = null, GenerationOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Generator = generator;
        Defaults = defaults ?? new GenerationOptions();
        Defaults.Validate();
        Metadata = new ChatClientMetadata(ProviderName, providerUri: null, modelId);
    }

    /// <summary>The generator.</summary>
    public TextGenerator Generator { get; }

    /// <summary>The generation options of what the chat options leave unset.</summary>
    public GenerationOptions Defaults { get; }

    /// <summary>Provider and model id.</summary>
    public ChatClientMetadata Metadata { get; }

    /// <inheritdoc />
    /// <remarks>The updates of <see cref="GetStreamingResponseAsync"/> combined: the text, the finish reason and the usage.</remarks>
    /// <exception cref="NotSupportedException">An option GPT-2 generation lacks is asked for (see <see cref="ChatPrompt.ToGenerationOptions"/>).</exception>
    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// One update per piece of text as it becomes final, then a last update with the finish reason
    /// (<see cref="ChatFinishReason.Stop"/> at the end-of-text token or a stop sequence, else
    /// <see cref="ChatFinishReason.Length"/>) and the token counts (<see cref="UsageContent"/>).
    /// </remarks>
    /// <exception cref="NotSupportedException">An option GPT-2 generation lacks is asked for (see <see cref="ChatPrompt.ToGenerationOptions"/>).</exception>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = ChatPrompt.Format(messages, options);
        var generation = ChatPrompt.ToGenerationOptions(options, Defaults);
        var (responseId, created, modelId) = (Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, ModelId(options));
        ChatResponseUpdate Update(IList<AIContent> contents) => new(ChatRole.Assistant, contents)
        {
            ResponseId = responseId, MessageId = responseId, ModelId = modelId, CreatedAt = created,
        };
        cancellationToken.ThrowIfCancellationRequested();
        var tally = new GenerationTally();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stops = options?.StopSequences?.ToArray() ?? [];
            await foreach (var piece in Generator.GenerateStreamingAsync(prompt, generation, stops, tally, cancellationToken).ConfigureAwait(false))
                yield return Update([new TextContent(piece)]);
        }
        finally
        {
            _gate.Release();
        }
        var usage = new UsageDetails
        {
            InputTokenCount = tally.PromptTokens, OutputTokenCount = tally.GeneratedTokens, TotalTokenCount = tally.PromptTokens + tally.GeneratedTokens,
        };
        var last = Update([new UsageContent(usage)]);
        last.FinishReason = tally.Ended ? ChatFinishReason.Stop : ChatFinishReason.Length;
        yield return last;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return Metadata;
        if (serviceType == typeof(TextGenerator)) return Generator;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Releases the gate that serializes calls; the model is managed memory.</summary>
    public void Dispose() => _gate.Dispose();

    private string? ModelId(ChatOptions? options) => options?.ModelId ?? Metadata.DefaultModelId;
}
