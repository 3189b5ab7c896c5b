using Microsoft.ML.Tokenizers;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>Microsoft.ML.Tokenizers' own tokenizers, set as close to Hugging Face's bert-base-uncased as its options allow.</summary>
internal static class MicrosoftPeers
{
    /// <summary>Lower-cased, accents stripped, CJK characters split (Hugging Face's BertNormalizer for uncased vocabularies).</summary>
    public static BertTokenizer Bert(string vocabTxt) => BertTokenizer.Create(vocabTxt, new BertOptions
    {
        LowerCaseBeforeTokenization = true,
        RemoveNonSpacingMarks = true,
        IndividuallyTokenizeCjk = true,
    });
}
