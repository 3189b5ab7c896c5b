using Microsoft.Extensions.AI;
using MLNet.Transformers.Models.Generation;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>The chat client over a small random GPT-2: its replies are the text generator's for the mapped options.</summary>
[TestClass]
public sealed class TextGeneratorChatClientTests
{
    private static readonly ChatMessage[] s_conversation =
        [new(ChatRole.User, "The state of the union is"), new(ChatRole.Assistant, "strong"), new(ChatRole.User, "Why?")];

    private static TinyGpt2Checkpoint s_checkpoint = null!;

    [ClassInitialize]
    public static void CreateCheckpoint(TestContext _) => s_checkpoint = TinyGpt2Checkpoint.Create();

    [ClassCleanup]
    public static void DeleteCheckpoint() => s_checkpoint.Dispose();

    private static TextGenerator NewGenerator() => TextGenerator.FromPretrained(s_checkpoint.Directory);

    [TestMethod]
    public async Task TheReplyIsTheGeneratorsTextForThePlainPromptAndTheMappedOptions()
    {
        var generator = NewGenerator();
        using var client = new TextGeneratorChatClient(generator, "tiny");
        var options = new ChatOptions { Instructions = "Answer briefly.", MaxOutputTokens = 9, Temperature = 0.8f, TopK = 40, TopP = 0.9f, Seed = 4 };
        var expectedOptions = new GenerationOptions { MaxNewTokens = 9, Sample = true, Temperature = 0.8f, TopK = 40, TopP = 0.9f, Seed = 4 };

        var response = await client.GetResponseAsync(s_conversation, options);

        Assert.AreEqual("Answer briefly.\nThe state of the union is\nstrong\nWhy?\n", ChatPrompt.Format(s_conversation, options));
        Assert.AreEqual(generator.Generate(ChatPrompt.Format(s_conversation, options), expectedOptions), response.Text);
        Assert.AreEqual(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.AreEqual("tiny", response.ModelId);
        Assert.AreEqual(ChatFinishReason.Length, response.FinishReason, "9 tokens, none of them end-of-text");
        var promptTokens = generator.Tokenizer.Encode(ChatPrompt.Format(s_conversation, options)).Ids.Length;
        Assert.AreEqual(promptTokens, response.Usage!.InputTokenCount);
        Assert.AreEqual(9, response.Usage.OutputTokenCount);
        Assert.AreEqual(promptTokens + 9, response.Usage.TotalTokenCount);
    }

    [TestMethod]
    public async Task GreedyUnlessASamplingOptionIsGivenAndATemperatureOfZeroIsGreedy()
    {
        var generator = NewGenerator();
        using var client = new TextGeneratorChatClient(generator);
        var prompt = ChatPrompt.Format(s_conversation);
        var greedy = generator.Generate(prompt, new GenerationOptions { MaxNewTokens = 8 });

        Assert.AreEqual(greedy, (await client.GetResponseAsync(s_conversation, new ChatOptions { MaxOutputTokens = 8 })).Text);
        Assert.AreEqual(greedy, (await client.GetResponseAsync(s_conversation, new ChatOptions { MaxOutputTokens = 8, Temperature = 0f, Seed = 9 })).Text);
        Assert.AreEqual(generator.Generate(prompt), (await client.GetResponseAsync(s_conversation)).Text);
    }

    [TestMethod]
    public async Task StreamedUpdatesConcatenateToTheReplyAndStopAtAStopSequence()
    {
        using var client = new TextGeneratorChatClient(NewGenerator());
        var options = new ChatOptions { MaxOutputTokens = 12, Temperature = 1.1f, Seed = 2 };
        var full = (await client.GetResponseAsync(s_conversation, options)).Text;
        var stop = full.Substring(full.Length / 2, 2);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(s_conversation, options)) updates.Add(update);
        var cut = new ChatOptions { MaxOutputTokens = 12, Temperature = 1.1f, Seed = 2, StopSequences = [stop] };

        Assert.IsTrue(updates.Count > 1, "the reply arrives in pieces");
        Assert.AreEqual(full, string.Concat(updates.Select(u => u.Text)));
        Assert.AreEqual(1, updates.Select(u => u.ResponseId).Distinct().Count(), "one response id");
        var stopped = await client.GetResponseAsync(s_conversation, cut);
        Assert.AreEqual(full[..full.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.AreEqual(ChatFinishReason.Stop, stopped.FinishReason);
        Assert.AreEqual(ChatFinishReason.Length, updates[^1].FinishReason);
    }

    [TestMethod]
    public async Task CancellationStopsTheReply()
    {
        using var client = new TextGeneratorChatClient(NewGenerator());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => client.GetResponseAsync(s_conversation, cancellationToken: cancelled.Token));

        using var midway = new CancellationTokenSource();
        var received = 0;
        await Assert.ThrowsAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync(s_conversation, new ChatOptions { MaxOutputTokens = 30 }, midway.Token))
            {
                received++;
                await midway.CancelAsync();
            }
        });
        Assert.AreEqual(1, received);
        Assert.IsFalse(string.IsNullOrEmpty((await client.GetResponseAsync(s_conversation, new ChatOptions { MaxOutputTokens = 3 })).Text), "the client serves calls after a cancelled one");
    }

    [TestMethod]
    public void ServicesAndUnsupportedOptions()
    {
        var generator = NewGenerator();
        using var client = new TextGeneratorChatClient(generator, "tiny");

        Assert.AreSame(generator, client.GetService<TextGenerator>());
        Assert.AreEqual("tiny", client.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.AreSame(client, client.GetService<IChatClient>());
        Assert.IsNull(client.GetService<TextGenerator>("key"));
        Assert.ThrowsExactly<NotSupportedException>(() => ChatPrompt.ToGenerationOptions(new ChatOptions { FrequencyPenalty = 0.5f }, new GenerationOptions()));
        Assert.ThrowsExactly<NotSupportedException>(() => ChatPrompt.ToGenerationOptions(new ChatOptions { PresencePenalty = 0.5f }, new GenerationOptions()));
    }
}
