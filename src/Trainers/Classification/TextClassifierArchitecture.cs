namespace MLNet.Transformers;

/// <summary>The network a text classifier trains (see <see cref="TextClassificationOptions.Architecture"/>).</summary>
public enum TextClassifierArchitecture
{
    /// <summary>A BERT-family transformer encoder with a classification head: a checkpoint's, or a fresh preset's.</summary>
    Transformer,

    /// <summary>Embeddings → (bi)LSTM layers → the last layer's final states → a linear head, trained from scratch.</summary>
    Lstm,

    /// <summary>Embeddings → (bi)GRU layers → the last layer's final states → a linear head, trained from scratch.</summary>
    Gru,

    /// <summary>Embeddings → (bi)LSTM layers → additive (Bahdanau) attention over all states → a linear head, trained from scratch.</summary>
    AttentionRnn,
}

/// <summary>The names the command line uses for <see cref="TextClassifierArchitecture"/>: <c>transformer</c>, <c>lstm</c>, <c>gru</c>, <c>attention-rnn</c>.</summary>
public static class TextClassifierArchitectureNames
{
    /// <summary>Every name, in enum order.</summary>
    public static IReadOnlyList<string> All { get; } = ["transformer", "lstm", "gru", "attention-rnn"];

    /// <summary>The command-line name of an architecture.</summary>
    public static string NameOf(TextClassifierArchitecture architecture) => All[(int)architecture];

    /// <summary>The architecture a name stands for (case-insensitive), or null for an unknown name.</summary>
    public static TextClassifierArchitecture? Parse(string name)
    {
        for (var i = 0; i < All.Count; i++)
            if (string.Equals(All[i], name, StringComparison.OrdinalIgnoreCase)) return (TextClassifierArchitecture)i;
        return null;
    }
}
