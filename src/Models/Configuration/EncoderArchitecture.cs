namespace MLNet.Transformers.Models.Configuration;

/// <summary>The BERT-family architecture a checkpoint uses, as named by <c>model_type</c> in <c>config.json</c>.</summary>
public enum EncoderArchitecture
{
    /// <summary><c>bert</c>: BERT and every <c>BertModel</c> checkpoint (MiniLM, bge, e5, ...).</summary>
    Bert,

    /// <summary><c>roberta</c>: BERT layers; position ids start at <c>pad_token_id + 1</c>.</summary>
    Roberta,

    /// <summary><c>distilbert</c>: its own tensor and config names, no token type embeddings, no pooler.</summary>
    DistilBert,
}
