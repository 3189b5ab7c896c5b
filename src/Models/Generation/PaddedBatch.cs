namespace MLNet.Transformers.Models.Generation;

/// <summary>
/// The sequences of a batched generation, left-padded to one length: each row is padding, the prompt, then the
/// generated tokens (after its end-of-text token, more of it), with an attention mask of 0 over the padding.
/// </summary>
internal sealed class PaddedBatch
{
    private readonly List<int>[] _rows;
    private readonly List<int>[] _tokens;
    private readonly int[] _padding;
    private readonly bool[] _ended;
    private readonly int _endOfText;

    /// <summary>Pads <paramref name="prompts"/> (validated) with <paramref name="endOfText"/>, which also ends a sequence.</summary>
    public PaddedBatch(IReadOnlyList<IReadOnlyList<int>> prompts, int endOfText)
    {
        var longest = prompts.Max(p => p.Count);
        _endOfText = endOfText;
        _padding = [.. prompts.Select(p => longest - p.Count)];
        _rows = [.. prompts.Select((p, s) => Enumerable.Repeat(endOfText, _padding[s]).Concat(p).ToList())];
        _tokens = [.. prompts.Select(p => p.ToList())];
        _ended = new bool[prompts.Count];
    }

    /// <summary>The number of sequences B.</summary>
    public int Size => _rows.Length;

    /// <summary>The padded length T of every row.</summary>
    public int Length => _rows[0].Count;

    /// <summary>Whether every sequence has produced the end-of-text token.</summary>
    public bool AllEnded => _ended.All(e => e);

    /// <summary>Whether sequence <paramref name="s"/> has produced the end-of-text token.</summary>
    public bool Ended(int s) => _ended[s];

    /// <summary>Sequence <paramref name="s"/>'s prompt and generated tokens, without padding (for the repetition penalty).</summary>
    public ReadOnlySpan<int> Tokens(int s) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_tokens[s]);

    /// <summary>The ids (B·(T − start), row-major) of every row from position <paramref name="start"/> on.</summary>
    public int[] Ids(int start) => [.. _rows.SelectMany(row => row.Skip(start))];

    /// <summary>The attention mask (B·(T − start)) from position <paramref name="start"/> on; empty when no padding lies there.</summary>
    public float[] Mask(int start)
    {
        if (_padding.All(p => p <= start)) return [];
        return [.. _padding.SelectMany(p => Enumerable.Range(start, Length - start).Select(i => i < p ? 0f : 1f))];
    }

    /// <summary>Appends each sequence's next token (B); a sequence ends at the end-of-text token.</summary>
    public void Append(int[] next)
    {
        for (var s = 0; s < Size; s++)
        {
            _rows[s].Add(next[s]);
            if (_ended[s]) continue;
            _tokens[s].Add(next[s]);
            _ended[s] = next[s] == _endOfText;
        }
    }
}
