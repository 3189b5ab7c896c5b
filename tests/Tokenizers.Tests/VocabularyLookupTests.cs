using MLNet.Transformers.Tokenizers.Models;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>
/// The vocabulary's span lookup against a plain ordinal dictionary of the same entries: keys packed in their slot
/// (up to eight ASCII characters) and keys kept in the character array (longer, or not ASCII), on both sides of
/// that boundary, and the absent spans next to each key (its prefixes and its extensions).
/// </summary>
[TestClass]
public sealed class VocabularyLookupTests
{
    [TestMethod]
    public void EveryKeyIsFoundAndItsNeighboursAreNot()
    {
        var random = new Random(7);
        var alphabets = new[] { "abcdefghij#", "aéü中" };
        var entries = new Dictionary<string, int>(StringComparer.Ordinal);
        while (entries.Count < 5000)
        {
            var alphabet = alphabets[random.Next(alphabets.Length)];
            var key = new string(Enumerable.Range(0, random.Next(1, 13)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            entries.TryAdd(key, entries.Count * 3 + 1);
        }
        var vocabulary = new Vocabulary(entries);

        foreach (var (key, id) in entries)
        {
            Assert.IsTrue(vocabulary.TryGetId(key, out var found), $"'{key}' not found");
            Assert.AreEqual(id, found, $"'{key}'");
            foreach (var neighbour in new[] { key[..^1], key + "b", key + "é", "j" + key })
            {
                if (neighbour.Length == 0) continue;
                Assert.AreEqual(entries.TryGetValue(neighbour, out var expected), vocabulary.TryGetId(neighbour, out found), $"'{neighbour}'");
                if (entries.ContainsKey(neighbour)) Assert.AreEqual(expected, found, $"'{neighbour}'");
            }
        }
    }
}
