namespace MLNet.Transformers.Tokenizers;

/// <summary>The tokens of one sequence as the model emits them: id and original character span.</summary>
internal sealed class TokenList
{
    private const int InitialCapacity = 128;

    public int[] Ids = new int[InitialCapacity];
    public int[] Starts = new int[InitialCapacity];
    public int[] Ends = new int[InitialCapacity];
    public int Count;

    public void Clear() => Count = 0;

    public void Add(int id, int start, int end)
    {
        if (Count == Ids.Length)
        {
            var capacity = Count * 2;
            Array.Resize(ref Ids, capacity);
            Array.Resize(ref Starts, capacity);
            Array.Resize(ref Ends, capacity);
        }
        Ids[Count] = id;
        Starts[Count] = start;
        Ends[Count] = end;
        Count++;
    }

    /// <summary>Drops every token after the first <paramref name="count"/>.</summary>
    public void Truncate(int count) => Count = count;

    /// <summary>Copies the tokens into a fresh encoding result of one sequence with the given type id.</summary>
    public EncodingResult ToEncodingResult(int typeId)
    {
        var ids = Ids.AsSpan(0, Count).ToArray();
        var offsets = new TokenOffset[Count];
        for (var i = 0; i < Count; i++) offsets[i] = new TokenOffset(Starts[i], Ends[i]);
        var typeIds = new int[Count];
        typeIds.AsSpan().Fill(typeId);
        var attentionMask = new int[Count];
        attentionMask.AsSpan().Fill(1);
        return new EncodingResult(ids, typeIds, offsets, specialTokensMask: new int[Count], attentionMask, overflowing: []);
    }
}
