using Microsoft.ML;
using MLNet.Transformers.ModelLoadProbe;

// ModelLoadProbe MODEL.zip INPUT.tsv OUTPUT.tsv: loads MODEL.zip (no registration call: ML.NET finds the loaders by
// the assembly names the zip records), reads INPUT.tsv (a header row, one column per column of the model's saved
// input schema), transforms it and writes the added columns' values as bits (OutputBits).
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: ModelLoadProbe MODEL.zip INPUT.tsv OUTPUT.tsv");
    return 2;
}
var ml = new MLContext();
var model = ml.Model.Load(args[0], out var inputSchema);
var input = InputFile.Load(ml, args[1], inputSchema);
using var output = new StreamWriter(args[2]);
OutputBits.Write(model.Transform(input), inputSchema, output);
return 0;
