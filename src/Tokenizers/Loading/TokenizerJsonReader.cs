using System.Text.Json;
using MLNet.Transformers.Tokenizers.Decoding;
using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.Normalization;
using MLNet.Transformers.Tokenizers.PreTokenization;
using MLNet.Transformers.Tokenizers.Processing;

namespace MLNet.Transformers.Tokenizers.Loading;

/// <summary>
/// Reads Hugging Face's <c>tokenizer.json</c> for the BERT (WordPiece) and GPT-2 / RoBERTa (byte-level BPE)
/// families. A component of another kind is refused with an error naming it and the field it sits in.
/// </summary>
public static class TokenizerJsonReader
{
    /// <summary>Loads the tokenizer described by the file at <paramref name="path"/>.</summary>
    public static Tokenizer Load(string path) => Parse(path, Read);

    /// <summary>
    /// Reads only what the file says around its model: added tokens, post-processor and truncation. The model,
    /// normalizer, pre-tokenizer and decoder are not read, so a file whose model is of another kind (Unigram, say)
    /// still gives the special tokens and type ids a Microsoft tokenizer of that model needs.
    /// </summary>
    internal static TokenizerProcessing LoadProcessing(string path) => Parse(path, root => new TokenizerProcessing(
        root.OptionalObject("post_processor") is { } q ? ReadPostProcessor(q) : null,
        root.OptionalObject("truncation") is { } t ? ReadTruncation(t) : null,
        root.OptionalArray("added_tokens").Select(ReadAddedToken).ToList()));

    private static T Parse<T>(string path, Func<JsonNode, T> read)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException error)
        {
            throw new TokenizerFormatException(path, $"not valid JSON ({error.Message}).", error);
        }
        using (document)
        {
            try
            {
                return read(new JsonNode(document.RootElement, "$"));
            }
            catch (JsonFieldException error)
            {
                throw new TokenizerFormatException(path, error.Message, error);
            }
        }
    }

    private static Tokenizer Read(JsonNode root)
    {
        var addedTokens = root.OptionalArray("added_tokens").Select(ReadAddedToken).ToList();
        var model = ReadModel(root.Required("model"));
        var normalizer = root.OptionalObject("normalizer") is { } n ? ReadNormalizer(n) : null;
        var preTokenizer = root.OptionalObject("pre_tokenizer") is { } p ? ReadPreTokenizer(p) : null;
        var postProcessor = root.OptionalObject("post_processor") is { } q ? ReadPostProcessor(q) : null;
        var decoder = root.OptionalObject("decoder") is { } d ? ReadDecoder(d) : null;
        return new Tokenizer(model, normalizer, preTokenizer, postProcessor, decoder, addedTokens)
        {
            Settings = new EncodingSettings
            {
                Truncation = root.OptionalObject("truncation") is { } t ? ReadTruncation(t) : null,
                Padding = root.OptionalObject("padding") is { } pad ? ReadPadding(pad) : null,
            },
        };
    }

    private static AddedToken ReadAddedToken(JsonNode node) => new(node.String("content"), node.Int("id"), node.Bool("special", false))
    {
        Normalized = node.Bool("normalized", !node.Bool("special", false)),
        LStrip = node.Bool("lstrip", false),
        RStrip = node.Bool("rstrip", false),
        SingleWord = node.Bool("single_word", false),
    };

    private static TokenizerModel ReadModel(JsonNode node)
    {
        var type = node.OptionalString("type") ?? (node.Has("merges") ? "BPE" : "WordPiece");
        var vocabulary = ReadVocabulary(node.Required("vocab"));
        switch (type)
        {
            case "WordPiece":
                return node.Construct(() => new WordPieceModel(vocabulary, node.String("unk_token", "[UNK]"),
                    node.String("continuing_subword_prefix", "##"),
                    node.Int("max_input_chars_per_word", WordPieceModel.DefaultMaxInputCharsPerWord)));
            case "BPE":
                node.Unsupported("continuing_subword_prefix");
                node.Unsupported("end_of_word_suffix");
                node.Unsupported("dropout");
                if (node.Bool("byte_fallback", false)) throw node.Error("byte_fallback", "byte fallback is not supported.");
                var merges = node.Required("merges").Items().Select(ReadMerge).ToList();
                return node.Construct(() => new BpeModel(vocabulary, merges, node.OptionalString("unk_token"), node.Bool("fuse_unk", false)));
            default:
                throw node.Error("type", $"model type '{type}' is not supported (WordPiece and BPE are).");
        }
    }

    private static Vocabulary ReadVocabulary(JsonNode node)
    {
        var entries = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in node.Properties()) entries[token] = id.AsInt();
        return new Vocabulary(entries);
    }

    private static (string Left, string Right) ReadMerge(JsonNode node)
    {
        if (node.Element.ValueKind == JsonValueKind.Array)
        {
            var parts = node.Items().Select(part => part.AsString()).ToArray();
            if (parts.Length != 2) throw node.Error(null, "a merge must hold two tokens.");
            return (parts[0], parts[1]);
        }
        var text = node.AsString();
        var space = text.IndexOf(' ');
        if (space <= 0 || text.IndexOf(' ', space + 1) >= 0) throw node.Error(null, $"merge '{text}' is not two tokens separated by one space.");
        return (text[..space], text[(space + 1)..]);
    }

    private static Normalizer ReadNormalizer(JsonNode node) => node.String("type") switch
    {
        "BertNormalizer" => new BertNormalizer(node.Bool("clean_text", true), node.Bool("handle_chinese_chars", true),
            node.OptionalBool("strip_accents"), node.Bool("lowercase", true)),
        "Lowercase" => new LowercaseNormalizer(),
        "NFD" => new NfdNormalizer(),
        "StripAccents" => new StripAccentsNormalizer(),
        "Sequence" => new SequenceNormalizer(node.Required("normalizers").Items().Select(ReadNormalizer)),
        var type => throw node.Error("type", $"normalizer type '{type}' is not supported (BertNormalizer, Lowercase, NFD, StripAccents and Sequence are)."),
    };

    private static PreTokenizer ReadPreTokenizer(JsonNode node)
    {
        var type = node.String("type");
        switch (type)
        {
            case "BertPreTokenizer":
                return new BertPreTokenizer();
            case "ByteLevel":
                return new ByteLevelPreTokenizer(node.Bool("add_prefix_space", true), node.Bool("use_regex", true));
            case "Sequence":
                var steps = node.Required("pretokenizers").Items().ToArray();
                if (steps.Length == 1) return ReadPreTokenizer(steps[0]);
                throw node.Error("pretokenizers", "a sequence of more than one pre-tokenizer is not supported.");
            default:
                throw node.Error("type", $"pre-tokenizer type '{type}' is not supported (BertPreTokenizer and ByteLevel are).");
        }
    }

    private static PostProcessor ReadPostProcessor(JsonNode node)
    {
        var type = node.String("type");
        switch (type)
        {
            case "TemplateProcessing":
                var specials = new Dictionary<string, int[]>(StringComparer.Ordinal);
                foreach (var (name, special) in node.Required("special_tokens").Properties())
                    specials[name] = special.Required("ids").Items().Select(id => id.AsInt()).ToArray();
                return new PostProcessor(ReadTemplate(node.Required("single"), specials), ReadTemplate(node.Required("pair"), specials));
            case "BertProcessing":
                return PostProcessor.Bert(ReadTokenId(node.Required("cls")), ReadTokenId(node.Required("sep")));
            case "RobertaProcessing":
                return PostProcessor.Roberta(ReadTokenId(node.Required("cls")), ReadTokenId(node.Required("sep")),
                    node.Bool("trim_offsets", true), node.Bool("add_prefix_space", true));
            case "ByteLevel":
                return new PostProcessor(null, null, node.Bool("trim_offsets", true), node.Bool("add_prefix_space", true));
            default:
                throw node.Error("type", $"post-processor type '{type}' is not supported (TemplateProcessing, BertProcessing, RobertaProcessing and ByteLevel are).");
        }
    }

    private static List<TemplatePiece> ReadTemplate(JsonNode node, Dictionary<string, int[]> specials)
    {
        var pieces = new List<TemplatePiece>();
        foreach (var item in node.Items())
        {
            if (item.OptionalObject("Sequence") is { } sequence)
            {
                var index = sequence.String("id") switch
                {
                    "A" => 0,
                    "B" => 1,
                    var other => throw sequence.Error("id", $"sequence '{other}' is neither A nor B."),
                };
                pieces.Add(TemplatePiece.Sequence(index, sequence.Int("type_id", 0)));
            }
            else if (item.OptionalObject("SpecialToken") is { } special)
            {
                var name = special.String("id");
                if (!specials.TryGetValue(name, out var ids)) throw special.Error("id", $"special token '{name}' is not in special_tokens.");
                pieces.Add(TemplatePiece.Special(ids, special.Int("type_id", 0)));
            }
            else throw item.Error(null, "a template piece must be a Sequence or a SpecialToken.");
        }
        return pieces;
    }

    private static int ReadTokenId(JsonNode node)
    {
        var parts = node.Items().ToArray();
        if (parts.Length != 2) throw node.Error(null, "expected [token, id].");
        return parts[1].AsInt();
    }

    private static Decoder ReadDecoder(JsonNode node) => node.String("type") switch
    {
        "WordPiece" => new WordPieceDecoder(node.String("prefix", "##"), node.Bool("cleanup", true)),
        "ByteLevel" => new ByteLevelDecoder(),
        var type => throw node.Error("type", $"decoder type '{type}' is not supported (WordPiece and ByteLevel are)."),
    };

    private static TruncationOptions ReadTruncation(JsonNode node) => new()
    {
        MaxLength = node.Int("max_length"),
        Stride = node.Int("stride", 0),
        Strategy = node.String("strategy", "LongestFirst") switch
        {
            "LongestFirst" => TruncationStrategy.LongestFirst,
            "OnlyFirst" => TruncationStrategy.OnlyFirst,
            "OnlySecond" => TruncationStrategy.OnlySecond,
            var other => throw node.Error("strategy", $"unknown truncation strategy '{other}'."),
        },
        Direction = ReadDirection(node, "direction") == "Left" ? TruncationDirection.Left : TruncationDirection.Right,
    };

    private static PaddingOptions ReadPadding(JsonNode node)
    {
        var strategy = node.Required("strategy");
        int? fixedLength = strategy.Element.ValueKind == JsonValueKind.Object ? strategy.Int("Fixed") : null;
        if (strategy.Element.ValueKind == JsonValueKind.String && strategy.AsString() != "BatchLongest")
            throw node.Error("strategy", $"unknown padding strategy '{strategy.AsString()}'.");
        return new PaddingOptions
        {
            FixedLength = fixedLength,
            PadToMultipleOf = node.OptionalInt("pad_to_multiple_of"),
            Direction = ReadDirection(node, "direction") == "Left" ? PaddingDirection.Left : PaddingDirection.Right,
            PadId = node.Int("pad_id", 0),
            PadTypeId = node.Int("pad_type_id", 0),
            PadToken = node.String("pad_token", "[PAD]"),
        };
    }

    private static string ReadDirection(JsonNode node, string field) => node.String(field, "Right") switch
    {
        "Left" or "left" => "Left",
        "Right" or "right" => "Right",
        var other => throw node.Error(field, $"unknown direction '{other}'."),
    };
}
