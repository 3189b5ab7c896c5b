using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Generation;

/// <summary>
/// Autoregressive generation with a <see cref="Gpt2LMHeadModel"/>: greedy or sampled (temperature, top-k, top-p),
/// with a repetition penalty and a key/value cache, for one prompt or a batch of prompts of different lengths
/// (left-padded, with an attention mask and position ids as Hugging Face's GPT-2 generation). The first generation
/// with the cache prepares the model's weight matrices for its products, and later ones reuse them: a snapshot, so a
/// generator does not see weights changed afterwards (make a new one). Not for concurrent use: the model's buffers are
/// shared.
/// </summary>
public sealed class Gpt2Generator
{
    private KeyValueCache? _first; // the first generation's cache, whose prepared weights every later cache shares

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
        return GenerateBatch([prompt], options).Select(step => step[0]);
    }

    /// <summary>
    /// The tokens that follow each of <paramref name="prompts"/>, generated together: per step an array (B) of each
    /// sequence's next token. The prompts are left-padded to the longest and masked, and each sequence samples from its
    /// own stream seeded with <see cref="GenerationOptions.Seed"/>, so each prompt gets the tokens it gets alone. A
    /// sequence that has produced the end-of-text token is continued with it (ignore those) until every sequence has;
    /// generation also ends after <see cref="GenerationOptions.MaxNewTokens"/> steps or when the longest prompt and
    /// its output fill n_positions.
    /// </summary>
    /// <exception cref="ArgumentException">There are no prompts, or a prompt is empty, holds a token outside the vocabulary, or fills n_positions.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public IEnumerable<int[]> GenerateBatch(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        options ??= new GenerationOptions();
        options.Validate();
        if (prompts.Count == 0) throw new ArgumentException("There are no prompts.", nameof(prompts));
        for (var i = 0; i < prompts.Count; i++) Validate(prompts[i], prompts.Count == 1 ? "prompt" : $"prompt {i}");
        return Run(new PaddedBatch(prompts, Model.Config.EosTokenId), options);
    }

    private void Validate(IReadOnlyList<int> prompt, string name)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var config = Model.Config;
        if (prompt.Count == 0) throw new ArgumentException($"The {name} has no tokens.", "prompts");
        if (prompt.Count >= config.MaxPositions)
            throw new ArgumentException($"The {name} has {prompt.Count} tokens; n_positions ({config.MaxPositions}) leaves no room to generate.", "prompts");
        foreach (var id in prompt)
        {
            if ((uint)id >= (uint)config.VocabSize) throw new ArgumentException($"Token {id} of the {name} is outside the vocabulary of {config.VocabSize}.", "prompts");
        }
    }

    private IEnumerable<int[]> Run(PaddedBatch batch, GenerationOptions options)
    {
        var (config, b, v) = (Model.Config, batch.Size, Model.Config.VocabSize);
        var rngs = Enumerable.Range(0, b).Select(_ => new Rng(options.Seed)).ToArray();
        var cache = options.UseKeyValueCache ? NewCache(b) : null;
        var logits = new float[b * v]; // (B, V)
        for (var step = 0; step < options.MaxNewTokens && batch.Length < config.MaxPositions; step++)
        {
            NextTokenLogits(batch, cache, logits);
            var next = new int[b];
            for (var s = 0; s < b; s++)
            {
                if (batch.Ended(s)) next[s] = config.EosTokenId;
                else
                {
                    var row = logits.AsSpan(s * v, v);
                    LogitsProcessing.Process(row, batch.Tokens(s), options);
                    next[s] = LogitsProcessing.Choose(row, options, rngs[s]);
                }
            }
            batch.Append(next);
            yield return next;
            if (batch.AllEnded) yield break;
        }
    }

    /// <summary>An empty cache for <paramref name="batchSize"/> sequences over the weights prepared for the first one.</summary>
    private KeyValueCache NewCache(int batchSize)
    {
        if (_first is { } first) return first.CreateSibling(batchSize);
        return _first = Model.CreateCache(batchSize);
    }

    /// <summary>The logits (B, V) after each sequence's last token: over the cache (feeding the tokens it lacks) or a full forward pass.</summary>
    private void NextTokenLogits(PaddedBatch batch, KeyValueCache? cache, float[] logits)
    {
        var (b, v) = (batch.Size, Model.Config.VocabSize);
        if (cache is null)
        {
            var t = batch.Length;
            var all = Model.Forward(batch.Ids(0), b, training: false, batch.Mask(0)).Span; // (B·T, V)
            for (var s = 0; s < b; s++) all.Slice((s * t + t - 1) * v, v).CopyTo(logits.AsSpan(s * v, v));
            return;
        }
        Model.NextTokenLogits(batch.Ids(cache.Length), cache, batch.Mask(cache.Length)).Span.CopyTo(logits); // (B, V)
    }
}
