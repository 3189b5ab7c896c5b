namespace MLNet.Transformers.Bench.EmbedPeers;

/// <summary>A contender that embeds one batch: a normalised sentence embedding per row, in the batch's order.</summary>
internal interface IEmbeddingPeer
{
    float[][] Embed(TokenBatch batch);
}
