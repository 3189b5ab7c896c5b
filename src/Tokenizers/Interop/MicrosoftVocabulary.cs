using System.Buffers;
using Microsoft.ML.Tokenizers;

namespace MLNet.Transformers.Tokenizers.Interop;

/// <summary>
/// How many ids a <c>Microsoft.ML.Tokenizers</c> tokenizer can emit, so that a model can refuse one whose vocabulary
/// does not match its embedding table. Tokenizers that publish their vocabulary (BPE, SentencePiece, CodeGen,
/// English RoBERTa) are counted exactly; the others (WordPiece / BERT, Tiktoken) by their decoder: ids are dense from
/// 0 (as vocabulary files make them), so the size is the first id the decoder does not know, found by bisection.
/// </summary>
internal static class MicrosoftVocabulary
{
    /// <summary>Room for one decoded token; a longer one reports "destination too small", which still means "known".</summary>
    private const int ProbeBufferLength = 64;

    /// <summary>The largest id the search tries: a vocabulary of a billion tokens is not one.</summary>
    private const int MaxProbedId = 1 << 30;

    /// <summary>One more than the largest id <paramref name="tokenizer"/> can emit.</summary>
    public static int Size(Microsoft.ML.Tokenizers.Tokenizer tokenizer) => tokenizer switch
    {
        BpeTokenizer bpe => Limit(bpe.Vocabulary.Values, bpe.SpecialTokens?.Values),
        SentencePieceTokenizer sentencePiece => Limit(sentencePiece.Vocabulary.Values, sentencePiece.SpecialTokens?.Values),
        CodeGenTokenizer codeGen => Limit(codeGen.Vocabulary.Values, codeGen.SpecialTokens?.Values),
        EnglishRobertaTokenizer roberta => Limit(roberta.Vocabulary.Values, null),
        WordPieceTokenizer wordPiece => Math.Max(FirstUnknownId(wordPiece), Limit([], wordPiece.SpecialTokens?.Values)),
        TiktokenTokenizer tiktoken => Math.Max(FirstUnknownId(tiktoken), Limit([], tiktoken.SpecialTokens?.Values)),
        _ => FirstUnknownId(tokenizer),
    };

    private static int Limit(IEnumerable<int> ids, IEnumerable<int>? more) => ids.Concat(more ?? []).DefaultIfEmpty(-1).Max() + 1;

    /// <summary>The first id that <paramref name="tokenizer"/>'s decoder refuses, by doubling then bisection.</summary>
    private static int FirstUnknownId(Microsoft.ML.Tokenizers.Tokenizer tokenizer)
    {
        var buffer = new char[ProbeBufferLength];
        if (!Knows(tokenizer, 0, buffer)) return 0;
        var (known, unknown) = (0, 1);
        while (unknown < MaxProbedId && Knows(tokenizer, unknown, buffer)) (known, unknown) = (unknown, unknown * 2);
        while (unknown - known > 1)
        {
            var middle = known + (unknown - known) / 2;
            if (Knows(tokenizer, middle, buffer)) known = middle;
            else unknown = middle;
        }
        return unknown;
    }

    private static bool Knows(Microsoft.ML.Tokenizers.Tokenizer tokenizer, int id, char[] buffer) =>
        tokenizer.Decode([id], buffer, out _, out _) != OperationStatus.InvalidData;
}
