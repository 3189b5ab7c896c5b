namespace MLNet.Transformers.Trainers.Classification;

/// <summary>Which catalog a text classifier serves; it fixes the label type and the output columns.</summary>
public enum TextClassificationTask
{
    /// <summary>
    /// A Boolean label; outputs <c>Score</c> (Single, the logit margin of <c>true</c> over <c>false</c>),
    /// <c>Probability</c> (Single, of <c>true</c>) and <c>PredictedLabel</c> (Boolean), as binary evaluation reads them.
    /// </summary>
    Binary,

    /// <summary>
    /// A key label (from <c>MapValueToKey</c>); outputs <c>Score</c> (one probability per class, in key order) and
    /// <c>PredictedLabel</c> (the same key type as the label), as multiclass evaluation reads them.
    /// </summary>
    Multiclass,
}
