namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>Batch encoding: parallel results equal one-by-one results; batch padding pads to the longest.</summary>
[TestClass]
public sealed class BatchEncodingTests
{
    private static readonly string[] Texts = Enumerable.Range(0, 500)
        .Select(i => $"Sentence number {i} says {new string('x', i % 37)} and ends{new string('!', i % 3)}").ToArray();

    [TestMethod]
    [DataRow("bert-json")]
    [DataRow("roberta")]
    public void Parallel_batch_equals_one_by_one(string name)
    {
        var tokenizer = ReferenceTokenizers.Create(name);
        var batch = tokenizer.EncodeBatch(Texts);
        for (var i = 0; i < Texts.Length; i++)
            Assert.AreEqual(CanonicalEncoding.Line(tokenizer.Encode(Texts[i])), CanonicalEncoding.Line(batch[i]), $"text {i}");
    }

    [TestMethod]
    public void Batch_longest_padding_pads_every_encoding_to_the_longest()
    {
        var tokenizer = ReferenceTokenizers.Create("bert-vocab");
        var longest = Texts.Max(text => tokenizer.Encode(text).Length);
        var batch = tokenizer.EncodeBatch(Texts, new EncodingSettings { Padding = new PaddingOptions { PadToMultipleOf = 8 } });

        var expectedLength = (longest + 7) / 8 * 8;
        foreach (var encoding in batch)
        {
            Assert.HasCount(expectedLength, encoding.Ids);
            var real = encoding.AttentionMask.Count(mask => mask == 1);
            Assert.IsTrue(encoding.Ids.Skip(real).All(id => id == 0), "right padding with [PAD] = 0");
        }
    }
}
