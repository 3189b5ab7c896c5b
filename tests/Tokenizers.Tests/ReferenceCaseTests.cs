using System.Text.Json;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>
/// Chosen inputs of <c>fixtures/cases.jsonl</c> (hostile text, pairs, every truncation strategy with stride and
/// direction, padding) against Hugging Face tokenizers' full encodings: ids, type ids, offsets, masks, overflowing
/// windows and decoded text.
/// </summary>
[TestClass]
public sealed class ReferenceCaseTests
{
    private static readonly Lazy<JsonElement[]> Cases = new(() => File.ReadLines(Fixtures.Path("cases.jsonl"))
        .Where(line => line.Length > 0)
        .Select(line => JsonDocument.Parse(line).RootElement.Clone())
        .ToArray());

    public static IEnumerable<object[]> CaseNumbers() => Enumerable.Range(0, Cases.Value.Length).Select(i => new object[] { i });

    [TestMethod]
    [DynamicData(nameof(CaseNumbers))]
    public void Case_matches_hugging_face(int number)
    {
        var testCase = Cases.Value[number];
        var tokenizer = ReferenceTokenizers.Create(testCase.GetProperty("tokenizer").GetString()!);
        var settings = tokenizer.Settings with
        {
            Truncation = testCase.TryGetProperty("truncation", out var truncation) ? ReadTruncation(truncation) : tokenizer.Settings.Truncation,
            Padding = testCase.TryGetProperty("padding", out var padding) ? ReadPadding(padding) : tokenizer.Settings.Padding,
            AddSpecialTokens = !testCase.TryGetProperty("add_special_tokens", out var add) || add.GetBoolean(),
        };
        var text = ReadText(testCase, "text")!;
        var pair = ReadText(testCase, "pair");
        var expected = testCase.GetProperty("expected");
        var label = $"case {number} ({testCase.GetProperty("tokenizer").GetString()}): \"{text}\"{(pair is null ? "" : $" + \"{pair}\"")}";

        if (expected.TryGetProperty("error", out _))
        {
            Assert.ThrowsExactly<ArgumentException>(() => tokenizer.Encode(text, pair, settings), label);
            return;
        }
        var encoding = tokenizer.Encode(text, pair, settings);
        AssertSame(expected, encoding, label);
        var windows = expected.GetProperty("overflowing").EnumerateArray().ToArray();
        Assert.HasCount(windows.Length, encoding.Overflowing, $"{label}: overflowing windows");
        for (var i = 0; i < windows.Length; i++) AssertSame(windows[i], encoding.Overflowing[i], $"{label}, window {i}");
        Assert.AreEqual(expected.GetProperty("decoded").GetString(), tokenizer.Decode(encoding.Ids), $"{label}: decoded");
    }

    private static void AssertSame(JsonElement expected, EncodingResult actual, string label)
    {
        CollectionAssert.AreEqual(Ints(expected, "ids"), actual.Ids, $"{label}: ids");
        CollectionAssert.AreEqual(Ints(expected, "type_ids"), actual.TypeIds, $"{label}: type ids");
        CollectionAssert.AreEqual(Ints(expected, "special_tokens_mask"), actual.SpecialTokensMask, $"{label}: special tokens mask");
        CollectionAssert.AreEqual(Ints(expected, "attention_mask"), actual.AttentionMask, $"{label}: attention mask");
        var offsets = expected.GetProperty("offsets").EnumerateArray()
            .Select(o => new TokenOffset(o[0].GetInt32(), o[1].GetInt32())).ToArray();
        CollectionAssert.AreEqual(offsets, actual.Offsets, $"{label}: offsets");
    }

    /// <summary>A text field; one with lone surrogates (which JSON readers refuse) comes as UTF-16 code units.</summary>
    private static string? ReadText(JsonElement testCase, string name)
    {
        if (testCase.TryGetProperty(name + "_utf16", out var units))
            return new string(units.EnumerateArray().Select(unit => (char)unit.GetInt32()).ToArray());
        return testCase.TryGetProperty(name, out var text) ? text.GetString() : null;
    }

    private static int[] Ints(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(value => value.GetInt32()).ToArray();

    private static TruncationOptions ReadTruncation(JsonElement element) => new()
    {
        MaxLength = element.GetProperty("max_length").GetInt32(),
        Stride = element.GetProperty("stride").GetInt32(),
        Strategy = Enum.Parse<TruncationStrategy>(element.GetProperty("strategy").GetString()!),
        Direction = Enum.Parse<TruncationDirection>(element.GetProperty("direction").GetString()!),
    };

    private static PaddingOptions ReadPadding(JsonElement element) => new()
    {
        FixedLength = element.GetProperty("maxLength").GetInt32(),
        PadToMultipleOf = element.TryGetProperty("padToMultipleOf", out var multiple) ? multiple.GetInt32() : null,
        Direction = element.TryGetProperty("direction", out var direction) ? Enum.Parse<PaddingDirection>(direction.GetString()!) : PaddingDirection.Right,
        PadId = element.TryGetProperty("padId", out var padId) ? padId.GetInt32() : 0,
        PadTypeId = element.TryGetProperty("padTypeId", out var padTypeId) ? padTypeId.GetInt32() : 0,
    };
}
