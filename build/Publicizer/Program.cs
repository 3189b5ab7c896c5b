using Mono.Cecil;

namespace MLNet.Transformers.Publicizer;

/// <summary>
/// <c>Publicizer INPUT.dll OUTPUT.dll</c>: writes a copy of INPUT whose internal types and internal members are public.
/// Private members stay private (so no hidden helper starts to collide with a public name). The copy is a reference
/// for the compiler only; at run time the original assembly is loaded, and the calling assembly declares
/// <c>IgnoresAccessChecksTo</c> for it.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: Publicizer INPUT.dll OUTPUT.dll");
            return 2;
        }
        var (input, output) = (args[0], args[1]);
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(input))!);
        using var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { AssemblyResolver = resolver });
        foreach (var type in assembly.MainModule.GetTypes()) Publicize(type);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        var temporary = output + ".tmp";
        assembly.Write(temporary);
        File.Move(temporary, output, overwrite: true);
        return 0;
    }

    private static void Publicize(TypeDefinition type)
    {
        if (type.IsNested)
        {
            if (type.IsNestedAssembly || type.IsNestedFamilyOrAssembly || type.IsNestedFamilyAndAssembly) type.IsNestedPublic = true;
        }
        else if (type.IsNotPublic) type.IsPublic = true;
        foreach (var method in type.Methods)
            if (method.IsAssembly || method.IsFamilyOrAssembly || method.IsFamilyAndAssembly) method.IsPublic = true;
        foreach (var field in type.Fields)
            if (field.IsAssembly || field.IsFamilyOrAssembly || field.IsFamilyAndAssembly) field.IsPublic = true;
    }
}
