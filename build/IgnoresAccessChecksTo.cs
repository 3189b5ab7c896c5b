// Lets this assembly use the internals of the ML.NET assemblies it compiles against through publicized copies
// (see build/MLNetInternals.targets). The runtime honours this attribute by its full name; the class is declared here
// because no public assembly ships it.
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Data")]

namespace System.Runtime.CompilerServices
{
    /// <summary>Names an assembly whose non-public types and members this assembly may use.</summary>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
    internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
    {
        /// <summary>The simple name of the assembly.</summary>
        public string AssemblyName { get; } = assemblyName;
    }
}
