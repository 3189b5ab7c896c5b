using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Transformers.ModelLoadProbe;

/// <summary>Reads a header-and-tab file as a data view of a model's saved input schema (text, Boolean and float columns).</summary>
public static class InputFile
{
    /// <summary>The rows of <paramref name="path"/> with the columns of <paramref name="schema"/>, in its order.</summary>
    public static IDataView Load(MLContext ml, string path, DataViewSchema schema)
    {
        var columns = schema.Where(c => !c.IsHidden).Select((c, i) => new TextLoader.Column(c.Name, KindOf(c), i)).ToArray();
        return ml.Data.LoadFromTextFile(path, columns, separatorChar: '\t', hasHeader: true, allowQuoting: false);
    }

    private static DataKind KindOf(DataViewSchema.Column column) => column.Type switch
    {
        TextDataViewType => DataKind.String,
        BooleanDataViewType => DataKind.Boolean,
        NumberDataViewType number when number.RawType == typeof(float) => DataKind.Single,
        _ => throw new NotSupportedException($"Input column '{column.Name}' is {column.Type}: the probe reads text, Boolean and float columns."),
    };
}
