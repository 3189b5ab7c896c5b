using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// The text of one generated sequence as its tokens arrive: each token's text is released as soon as it is final
/// (whole characters, and not the start of a stop sequence), and the text ends before the first stop sequence.
/// </summary>
internal sealed class StoppingDecoder
{
    /// <summary>The character a decoder writes for bytes that are not (yet) whole UTF-8: held back while streaming.</summary>
    private const char IncompleteCharacter = '\uFFFD';

    private readonly Tokenizer _tokenizer;
    private readonly string[] _stops;
    private readonly List<int> _generated = [];
    private int _emitted;

    /// <summary>Decodes with <paramref name="tokenizer"/>, ending before any of <paramref name="stopSequences"/> (empty ones ignored).</summary>
    public StoppingDecoder(Tokenizer tokenizer, IReadOnlyList<string>? stopSequences)
    {
        _tokenizer = tokenizer;
        _stops = [.. (stopSequences ?? []).Where(s => !string.IsNullOrEmpty(s))];
    }

    /// <summary>Whether a stop sequence has appeared: the text is complete.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds a generated token and returns the text that became final with it (often empty).</summary>
    public string Add(int id)
    {
        if (Stopped) return "";
        _generated.Add(id);
        var text = _tokenizer.Decode(_generated);
        var stop = FirstStop(text);
        if (stop >= 0)
        {
            Stopped = true;
            return stop > _emitted ? text[_emitted..stop] : "";
        }
        var final = FinalLength(text);
        if (final <= _emitted) return "";
        var piece = text[_emitted..final];
        _emitted = final;
        return piece;
    }

    /// <summary>The text held back when generation ends without a stop sequence (empty after one).</summary>
    public string Finish()
    {
        if (Stopped) return "";
        var rest = _tokenizer.Decode(_generated);
        var piece = rest.Length > _emitted ? rest[_emitted..] : "";
        _emitted = rest.Length;
        return piece;
    }

    /// <summary>Where the first stop sequence starts in <paramref name="text"/>, or −1.</summary>
    private int FirstStop(string text)
    {
        var first = -1;
        foreach (var stop in _stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /// <summary>
    /// The length of <paramref name="text"/>'s prefix that later tokens cannot change: without a trailing incomplete
    /// character and without a tail that may grow into a stop sequence.
    /// </summary>
    private int FinalLength(string text)
    {
        var end = text.Length;
        while (end > 0 && text[end - 1] == IncompleteCharacter) end--;
        var held = 0;
        foreach (var stop in _stops)
        {
            for (var length = Math.Min(stop.Length - 1, end); length > held; length--)
            {
                if (text.AsSpan(end - length, length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    held = length;
                    break;
                }
            }
        }
        return end - held;
    }
}
