using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Generation;

/// <summary>
/// Autoregressive generation with a <see cref="Gpt2LMHeadModel"/>: greedy or sampled (temperature, top-k, top-p),
/// with a repetition penalty and a key/value cache. Not for concurrent use: the model's buffers are shared.
/// </summary>
public sealed class Gpt2Generator
{
    /// <summary>Generates with <paramref name="model"/>.</summary>
    public Gpt2Generator(Gpt2LMHeadModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
    }

    /// <summary>The model.</summary>
    public Gpt2LMHeadModel Model { get; }

    /// <summary>
    /// The tokens that follow <paramref name="prompt"/>, one at a time as they are chosen (so the caller may stop
    /// early). Generation ends after <see cref="GenerationOptions.MaxNewTokens"/> tokens, after the end-of-text token
    /// (<c>eos_token_id</c>, which is yielded), or when the sequence fills n_positions.
    /// </summary>
    /// <exception cref="ArgumentException">The prompt is empty, holds a token outside the vocabulary, or fills n_positions.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public IEnumerable<int> Generate(IReadOnlyList<int> prompt, GenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        options ??= new GenerationOptions();
        options.Validate();
        var config = Model.Config;
        if (prompt.Count == 0) throw new ArgumentException("The prompt has no tokens.", nameof(prompt));
        if (prompt.Count >= config.MaxPositions)
            throw new ArgumentException($"The prompt has {prompt.Count} tokens; n_positions ({config.MaxPositions}) leaves no room to generate.", nameof(prompt));
        foreach (var id in prompt)
        {
            if ((uint)id >= (uint)config.VocabSize) throw new ArgumentException($"Prompt token {id} is outside the vocabulary of {config.VocabSize}.", nameof(prompt));
        }
        return Run([.. prompt], options);
    }

    private IEnumerable<int> Run(List<int> tokens, GenerationOptions options)
    {
        var (config, rng) = (Model.Config, new Rng(options.Seed));
        var cache = options.UseKeyValueCache ? Model.CreateCache() : null;
        var logits = new float[config.VocabSize];
        for (var step = 0; step < options.MaxNewTokens && tokens.Count < config.MaxPositions; step++)
        {
            NextTokenLogits(tokens, cache, logits);
            LogitsProcessing.Process(logits, tokens.ToArray(), options);
            var next = LogitsProcessing.Choose(logits, options, rng);
            tokens.Add(next);
            yield return next;
            if (next == config.EosTokenId) yield break;
        }
    }

    /// <summary>The logits (V) after the last token: over the cache (feeding the tokens it lacks) or a full forward pass.</summary>
    private void NextTokenLogits(List<int> tokens, KeyValueCache? cache, Span<float> logits)
    {
        var v = Model.Config.VocabSize;
        if (cache is null)
        {
            var all = Model.Forward(tokens.ToArray(), batchSize: 1, training: false); // (T, V)
            all.Span.Slice((tokens.Count - 1) * v, v).CopyTo(logits);
            return;
        }
        var fresh = tokens.GetRange(cache.Length, tokens.Count - cache.Length).ToArray();
        Model.NextTokenLogits(fresh, cache).Span.CopyTo(logits); // (1, V)
    }
}
