namespace MLNet.Transformers.Data.Tests;

/// <summary>Row types shared by the tests.</summary>
public sealed class LabeledText
{
    public string Text { get; set; } = "";

    public string Label { get; set; } = "";
}

public sealed class FeatureRow
{
    [ColumnName("Label")]
    public string Category { get; set; } = "";

    [VectorType(3)]
    public float[] Features { get; set; } = [];

    public int Count { get; set; }

    public bool Flag { get; set; }
}

public sealed class KeyedRow
{
    [KeyType(3)]
    public uint Key { get; set; }

    [VectorType]
    public float[] Values { get; set; } = [];
}

public sealed class TextPrediction
{
    public string Text { get; set; } = "";

    public uint LabelKey { get; set; }

    public string LabelBack { get; set; } = "";
}
