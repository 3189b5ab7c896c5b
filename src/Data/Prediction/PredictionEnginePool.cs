using System.Collections.Concurrent;

namespace MLNet.Transformers.Data;

/// <summary>
/// Prediction engines shared by many threads: each call rents an engine (making one when none is free), predicts
/// and returns it. The fitted pipeline is immutable, so all engines share it; only the per-engine input slot and
/// cursor are private. Safe to call from any number of threads.
/// </summary>
/// <typeparam name="TSrc">The input type.</typeparam>
/// <typeparam name="TDst">The prediction type.</typeparam>
public sealed class PredictionEnginePool<TSrc, TDst> where TSrc : class where TDst : class, new()
{
    private readonly Func<PredictionEngine<TSrc, TDst>> _create;
    private readonly ConcurrentBag<PredictionEngine<TSrc, TDst>> _free = [];

    internal PredictionEnginePool(Func<PredictionEngine<TSrc, TDst>> create) => _create = create;

    /// <summary>The prediction for <paramref name="example"/>.</summary>
    public TDst Predict(TSrc example)
    {
        var engine = GetPredictionEngine();
        try { return engine.Predict(example); }
        finally { ReturnPredictionEngine(engine); }
    }

    /// <summary>Rents an engine for exclusive use; give it back with <see cref="ReturnPredictionEngine"/>.</summary>
    public PredictionEngine<TSrc, TDst> GetPredictionEngine() => _free.TryTake(out var engine) ? engine : _create();

    /// <summary>Returns an engine rented with <see cref="GetPredictionEngine"/>.</summary>
    public void ReturnPredictionEngine(PredictionEngine<TSrc, TDst> engine) => _free.Add(engine);
}
