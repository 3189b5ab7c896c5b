namespace MLNet.Transformers.Tokenizers.Models;

/// <summary>Token strings and their ids, looked up by span without allocating.</summary>
public sealed class Vocabulary
{
    private readonly Dictionary<string, int> _ids;
    private readonly SpanTable _spanLookup;
    private readonly string?[] _tokens;

    /// <summary>Creates the vocabulary from token → id pairs; ids need not be contiguous.</summary>
    public Vocabulary(IEnumerable<KeyValuePair<string, int>> entries)
    {
        _ids = new Dictionary<string, int>(entries, StringComparer.Ordinal);
        _spanLookup = new SpanTable(_ids);
        _tokens = new string?[_ids.Count == 0 ? 0 : _ids.Values.Max() + 1];
        foreach (var (token, id) in _ids)
        {
            if (id < 0) throw new ArgumentException($"Token '{token}' has a negative id {id}.", nameof(entries));
            _tokens[id] = token;
        }
        MaxTokenLength = _ids.Count == 0 ? 0 : _ids.Keys.Max(token => token.Length);
    }

    /// <summary>The number of tokens.</summary>
    public int Count => _ids.Count;

    /// <summary>One more than the largest id.</summary>
    public int IdLimit => _tokens.Length;

    /// <summary>The length of the longest token, in UTF-16 code units.</summary>
    public int MaxTokenLength { get; }

    /// <summary>Every token and its id.</summary>
    public IReadOnlyDictionary<string, int> Entries => _ids;

    /// <summary>Finds the id of <paramref name="token"/>.</summary>
    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _spanLookup.TryGetValue(token, out id);

    /// <summary>The lookup behind <see cref="TryGetId"/>, for models that look up packed keys.</summary>
    internal SpanTable Lookup => _spanLookup;

    /// <summary>The token with id <paramref name="id"/>, or null when there is none.</summary>
    public string? GetToken(int id) => (uint)id < (uint)_tokens.Length ? _tokens[id] : null;
}
