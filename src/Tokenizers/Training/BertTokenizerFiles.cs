using System.Text;
using System.Text.Json.Nodes;
using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.Normalization;

namespace MLNet.Transformers.Tokenizers.Training;

/// <summary>
/// Writes a BERT WordPiece tokenizer as Hugging Face saves one beside a checkpoint: <c>vocab.txt</c>,
/// <c>tokenizer.json</c>, <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>.
/// </summary>
public static class BertTokenizerFiles
{
    /// <summary>The file names written.</summary>
    public const string TokenizerConfig = "tokenizer_config.json", SpecialTokensMap = "special_tokens_map.json";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static readonly (string Role, string Token)[] Roles =
        [("unk_token", "[UNK]"), ("sep_token", "[SEP]"), ("pad_token", "[PAD]"), ("cls_token", "[CLS]"), ("mask_token", "[MASK]")];

    /// <summary>Whether <paramref name="tokenizer"/> is a BERT WordPiece tokenizer these files can express.</summary>
    public static bool CanWrite(Tokenizer tokenizer) =>
        tokenizer?.Model is WordPieceModel && tokenizer.Normalizer is BertNormalizer
        && Roles.All(role => tokenizer.TokenToId(role.Token) is not null);

    /// <summary>Writes the four files into <paramref name="directory"/> (created if needed).</summary>
    /// <exception cref="ArgumentException">The tokenizer is not a BERT WordPiece tokenizer with BERT's special tokens.</exception>
    public static void Write(Tokenizer tokenizer, string directory)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (!CanWrite(tokenizer))
            throw new ArgumentException("Only a WordPiece tokenizer with a BERT normalizer and [UNK], [SEP], [PAD], [CLS], [MASK] can be written.", nameof(tokenizer));
        var model = (WordPieceModel)tokenizer.Model;
        var normalizer = (BertNormalizer)tokenizer.Normalizer!;
        Directory.CreateDirectory(directory);
        TokenizerFileWriter.WriteVocabTxt(model.Vocabulary, Path.Combine(directory, "vocab.txt"));
        Save(TokenizerJson(tokenizer, model, normalizer), Path.Combine(directory, "tokenizer.json"));
        var map = new JsonObject();
        foreach (var (role, token) in Roles) map[role] = token;
        Save(map, Path.Combine(directory, SpecialTokensMap));
        var config = (JsonObject)map.DeepClone();
        config["tokenizer_class"] = "BertTokenizer";
        config["do_lower_case"] = normalizer.Lowercase;
        config["strip_accents"] = normalizer.StripAccents;
        config["tokenize_chinese_chars"] = normalizer.HandleChineseChars;
        config["model_max_length"] = 512;
        Save(config, Path.Combine(directory, TokenizerConfig));
    }

    private static JsonObject TokenizerJson(Tokenizer tokenizer, WordPieceModel model, BertNormalizer normalizer)
    {
        var (cls, sep) = (tokenizer.TokenToId("[CLS]")!.Value, tokenizer.TokenToId("[SEP]")!.Value);
        var vocab = new JsonObject();
        for (var id = 0; id < model.Vocabulary.IdLimit; id++)
            if (model.Vocabulary.GetToken(id) is { } token) vocab[token] = id;
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray([.. tokenizer.AddedTokens.Select(token => (JsonNode)new JsonObject
            {
                ["id"] = token.Id, ["content"] = token.Content, ["single_word"] = token.SingleWord, ["lstrip"] = token.LStrip,
                ["rstrip"] = token.RStrip, ["normalized"] = token.Normalized, ["special"] = token.Special,
            })]),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "BertNormalizer", ["clean_text"] = normalizer.CleanText, ["handle_chinese_chars"] = normalizer.HandleChineseChars,
                ["strip_accents"] = normalizer.StripAccents, ["lowercase"] = normalizer.Lowercase,
            },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(Special("[CLS]", 0), Sequence("A", 0), Special("[SEP]", 0)),
                ["pair"] = new JsonArray(Special("[CLS]", 0), Sequence("A", 0), Special("[SEP]", 0), Sequence("B", 1), Special("[SEP]", 1)),
                ["special_tokens"] = new JsonObject { ["[CLS]"] = SpecialEntry("[CLS]", cls), ["[SEP]"] = SpecialEntry("[SEP]", sep) },
            },
            ["decoder"] = new JsonObject { ["type"] = "WordPiece", ["prefix"] = model.ContinuingSubwordPrefix, ["cleanup"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "WordPiece", ["unk_token"] = model.UnknownToken, ["continuing_subword_prefix"] = model.ContinuingSubwordPrefix,
                ["max_input_chars_per_word"] = model.MaxInputCharsPerWord, ["vocab"] = vocab,
            },
        };
    }

    private static JsonObject Special(string token, int typeId) =>
        new() { ["SpecialToken"] = new JsonObject { ["id"] = token, ["type_id"] = typeId } };

    private static JsonObject Sequence(string id, int typeId) =>
        new() { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = typeId } };

    private static JsonObject SpecialEntry(string token, int id) =>
        new() { ["id"] = token, ["ids"] = new JsonArray(id), ["tokens"] = new JsonArray(token) };

    private static void Save(JsonNode json, string path) =>
        File.WriteAllText(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), Utf8);
}
