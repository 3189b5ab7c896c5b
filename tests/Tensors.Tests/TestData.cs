namespace MLNet.Transformers.Tensors.Tests;

/// <summary>Seeded random inputs for kernel tests.</summary>
internal static class TestData
{
    /// <summary><paramref name="length"/> draws from N(0, <paramref name="scale"/>²), fixed by <paramref name="seed"/>.</summary>
    public static float[] Normal(int length, ulong seed, float scale = 1f)
    {
        var values = new float[length];
        new Rng(seed).FillNormal(values, 0f, scale);
        return values;
    }
}
