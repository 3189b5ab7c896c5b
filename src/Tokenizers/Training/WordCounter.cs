using System.Collections.Concurrent;

namespace MLNet.Transformers.Tokenizers.Training;

/// <summary>Counts the words of a corpus as a tokenizer's normalizer and pre-tokenizer cut them.</summary>
internal static class WordCounter
{
    public static Dictionary<string, long> Count(Tokenizer pipeline, IEnumerable<string> corpus)
    {
        var counts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        Parallel.ForEach(corpus, text =>
        {
            foreach (var word in pipeline.PreTokenize(text)) counts.AddOrUpdate(word, 1, (_, count) => count + 1);
        });
        return new Dictionary<string, long>(counts, StringComparer.Ordinal);
    }
}
