namespace MLNet.Transformers.Models.Encoder;

/// <summary>The fixed positional encoding of the original Transformer ("Attention Is All You Need").</summary>
public static class SinusoidalPositions
{
    /// <summary>The wavelength base: channel pair i has frequency <c>Base^(-2i/C)</c>.</summary>
    public const double Base = 10000.0;

    /// <summary>
    /// A (positions, C) table: <c>sin(p·ω_i)</c> in channel 2i and <c>cos(p·ω_i)</c> in channel 2i+1, with
    /// <c>ω_i = Base^(-2i/C)</c>, computed in double precision.
    /// </summary>
    public static float[] Table(int positions, int channels)
    {
        var table = new float[positions * channels];
        for (var p = 0; p < positions; p++)
        {
            for (var c = 0; c < channels; c++)
            {
                var frequency = Math.Pow(Base, -(c - c % 2) / (double)channels);
                table[p * channels + c] = (float)(c % 2 == 0 ? Math.Sin(p * frequency) : Math.Cos(p * frequency));
            }
        }
        return table;
    }
}
