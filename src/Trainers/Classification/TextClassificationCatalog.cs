using MLNet.Transformers.Data;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>Adds the text classification trainer to the binary and multiclass catalogs.</summary>
public static class TextClassificationCatalog
{
    /// <summary>
    /// A trainer that fine-tunes a transformer into a binary classifier of a text column (Boolean label); the fitted
    /// transformer adds <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c>.
    /// </summary>
    public static TextClassificationTrainer TextClassification(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, TextClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TextClassificationTrainer(TextClassificationTask.Binary, options);
    }

    /// <summary>
    /// A trainer that fine-tunes a transformer into a multiclass classifier of a text column (key label, from
    /// <c>MapValueToKey</c>); the fitted transformer adds <c>Score</c> (class probabilities) and <c>PredictedLabel</c>.
    /// </summary>
    public static TextClassificationTrainer TextClassification(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, TextClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TextClassificationTrainer(TextClassificationTask.Multiclass, options);
    }
}
