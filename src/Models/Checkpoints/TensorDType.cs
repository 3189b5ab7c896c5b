namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>Element types a checkpoint may store, with the names safetensors uses.</summary>
public enum TensorDType
{
    /// <summary>IEEE 754 single precision (<c>F32</c>).</summary>
    F32,

    /// <summary>IEEE 754 half precision (<c>F16</c>); widened to float on read.</summary>
    F16,

    /// <summary>bfloat16, the upper half of a float (<c>BF16</c>); widened to float on read.</summary>
    BF16,

    /// <summary>IEEE 754 double precision (<c>F64</c>); narrowed to float on read.</summary>
    F64,

    /// <summary>64-bit integers (<c>I64</c>), e.g. the <c>position_ids</c> buffer; not a parameter.</summary>
    I64,

    /// <summary>32-bit integers (<c>I32</c>); not a parameter.</summary>
    I32,

    /// <summary>16-bit integers (<c>I16</c>); not a parameter.</summary>
    I16,

    /// <summary>8-bit integers (<c>I8</c>); not a parameter.</summary>
    I8,

    /// <summary>Unsigned bytes (<c>U8</c>); not a parameter.</summary>
    U8,

    /// <summary>Booleans stored as bytes (<c>BOOL</c>); not a parameter.</summary>
    Bool,
}

/// <summary>Sizes and names of <see cref="TensorDType"/> values.</summary>
public static class TensorDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int SizeOf(this TensorDType dtype) => dtype switch
    {
        TensorDType.F64 or TensorDType.I64 => 8,
        TensorDType.F32 or TensorDType.I32 => 4,
        TensorDType.F16 or TensorDType.BF16 or TensorDType.I16 => 2,
        _ => 1,
    };

    /// <summary>Whether values of this type can be read as floats (F32, F16, BF16, F64).</summary>
    public static bool IsFloatingPoint(this TensorDType dtype) =>
        dtype is TensorDType.F32 or TensorDType.F16 or TensorDType.BF16 or TensorDType.F64;

    /// <summary>The safetensors name of the type (<c>F32</c>, <c>BF16</c>, <c>BOOL</c>, ...).</summary>
    public static string SafetensorsName(this TensorDType dtype) =>
        dtype == TensorDType.Bool ? "BOOL" : dtype.ToString();

    /// <summary>Parses a safetensors type name; false for a name this library does not know.</summary>
    public static bool TryParseSafetensorsName(string name, out TensorDType dtype)
    {
        foreach (var candidate in Enum.GetValues<TensorDType>())
        {
            if (candidate.SafetensorsName() != name) continue;
            dtype = candidate;
            return true;
        }
        dtype = default;
        return false;
    }
}
