namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>Text that breaks naive tokenizers: huge words, random UTF-16 (lone surrogates included), every control character.</summary>
[TestClass]
public sealed class HostileTextTests
{
    private const int OneMegabyte = 1 << 20;
    private const int RandomTexts = 300;
    private const int MaxRandomLength = 200;
    private const int Seed = 12345;

    [TestMethod]
    public void One_megabyte_word_is_one_unknown_token_for_wordpiece()
    {
        var encoding = ReferenceTokenizers.Create("bert-vocab").Encode(new string('a', OneMegabyte));
        CollectionAssert.AreEqual(new[] { 101, 100, 102 }, encoding.Ids);
        Assert.AreEqual(new TokenOffset(0, OneMegabyte), encoding.Offsets[1]);
    }

    [TestMethod]
    public void One_megabyte_word_round_trips_through_byte_level_bpe()
    {
        var tokenizer = ReferenceTokenizers.Create("gpt2");
        var text = string.Concat(Enumerable.Repeat("abc😀", OneMegabyte / 5));
        var encoding = tokenizer.Encode(text);
        Assert.AreEqual(text, tokenizer.Decode(encoding.Ids));
        Assert.AreEqual(text.Length, encoding.Offsets[^1].End);
    }

    [TestMethod]
    [DataRow("bert-vocab")]
    [DataRow("gpt2")]
    [DataRow("roberta")]
    public void Random_utf16_never_throws_and_offsets_stay_inside_the_text(string name)
    {
        var tokenizer = ReferenceTokenizers.Create(name);
        var random = new Random(Seed);
        for (var n = 0; n < RandomTexts; n++)
        {
            var text = RandomText(random);
            var encoding = tokenizer.Encode(text, RandomText(random));
            foreach (var offset in encoding.Offsets)
                Assert.IsTrue(offset.Start >= 0 && offset.Start <= offset.End, $"offset {offset} of a random text");
            if (name == "gpt2" && !HasLoneSurrogate(text))
                Assert.AreEqual(text, tokenizer.Decode(tokenizer.Encode(text).Ids), "byte-level BPE must round-trip valid text");
        }
    }

    [TestMethod]
    public void Every_bmp_character_alone_encodes_without_error()
    {
        var bert = ReferenceTokenizers.Create("bert-vocab");
        var gpt2 = ReferenceTokenizers.Create("gpt2");
        var characters = Enumerable.Range(0, char.MaxValue + 1).Select(c => ((char)c).ToString()).ToArray();
        Assert.HasCount(characters.Length, bert.EncodeBatch(characters));
        Assert.HasCount(characters.Length, gpt2.EncodeBatch(characters));
    }

    [TestMethod]
    public void Null_text_is_an_argument_error() =>
        Assert.ThrowsExactly<ArgumentNullException>(() => ReferenceTokenizers.Create("gpt2").Encode(null!));

    private static string RandomText(Random random)
    {
        // Mostly ASCII with a share of anything in UTF-16: controls, combining marks, CJK, lone surrogates.
        var chars = new char[random.Next(MaxRandomLength)];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = random.Next(4) == 0 ? (char)random.Next(char.MaxValue + 1) : (char)random.Next(128);
        return new string(chars);
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }
}
