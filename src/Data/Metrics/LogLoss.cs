namespace MLNet.Transformers.Data;

/// <summary>
/// Cross-entropy in nats, as scikit-learn's <c>log_loss</c> computes it: probabilities clipped to
/// [eps, 1 - eps] with eps the double machine epsilon, each row renormalised to sum to 1.
/// </summary>
internal static class LogLoss
{
    /// <summary>numpy's <c>finfo(float64).eps</c>, scikit-learn's default clip.</summary>
    private const double Eps = 2.220446049250313e-16;

    /// <summary>The loss of one row: -ln of the renormalised, clipped probability of <paramref name="truth"/>.</summary>
    public static double Row(ReadOnlySpan<double> probabilities, int truth)
    {
        double sum = 0;
        foreach (double p in probabilities) sum += Clip(p);
        return -Math.Log(Clip(probabilities[truth]) / sum);
    }

    /// <summary>The loss of a binary row with positive-class probability <paramref name="probability"/>.</summary>
    public static double Binary(double probability, bool truth)
    {
        double p = Clip(probability), q = 1 - p;
        return -Math.Log((truth ? p : q) / (p + q));
    }

    /// <summary>The loss of always predicting <paramref name="priors"/> (class frequencies) for rows whose classes have those frequencies: their entropy.</summary>
    public static double Prior(ReadOnlySpan<double> priors)
    {
        double loss = 0;
        for (int c = 0; c < priors.Length; c++)
            if (priors[c] > 0) loss += priors[c] * Row(priors, c);
        return loss;
    }

    private static double Clip(double p) => Math.Clamp(p, Eps, 1 - Eps);
}
