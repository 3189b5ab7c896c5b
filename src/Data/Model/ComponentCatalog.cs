using System.Collections.Concurrent;
using System.Reflection;

namespace MLNet.Transformers.Data;

/// <summary>
/// Maps stable component names to loaders, the way ML.NET's loadable classes do. Types implementing
/// <see cref="IModelComponent{TSelf}"/> are found by scanning assemblies: those already loaded, and on a miss the
/// assembly the manifest names (loaded by name from the application's own assemblies, never from a path).
/// </summary>
public static class ComponentCatalog
{
    private static readonly ConcurrentDictionary<string, ComponentDescriptor> ByName = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Type, ComponentDescriptor?> ByType = new();
    private static readonly ConcurrentDictionary<Assembly, bool> Scanned = new();
    private static readonly string DataAssemblyName = typeof(ComponentCatalog).Assembly.GetName().Name!;

    static ComponentCatalog()
    {
        var chain = new ComponentDescriptor(TransformerChainFormat.ComponentName, TransformerChainFormat.FormatVersion,
            DataAssemblyName, TransformerChainFormat.Load);
        ByName[chain.Name] = chain;
    }

    /// <summary>Registers <typeparamref name="T"/> explicitly (scanning finds it too; this skips the scan).</summary>
    public static void Register<T>() where T : IModelComponent<T> => Add(Describe<T>());

    /// <summary>The descriptor of <paramref name="component"/>'s type; throws when the type cannot be saved.</summary>
    internal static ComponentDescriptor For(ICanSaveModel component)
    {
        var type = component.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(TransformerChain<>))
            return ByName[TransformerChainFormat.ComponentName];
        return ByType.GetOrAdd(type, DescribeType)
            ?? throw new InvalidOperationException($"{type.FullName} cannot be saved: it does not implement IModelComponent<{type.Name}>.");
    }

    /// <summary>The loader registered as <paramref name="name"/>, looking in <paramref name="assemblyName"/> on a miss.</summary>
    internal static ComponentDescriptor Resolve(string name, string assemblyName)
    {
        if (ByName.TryGetValue(name, out var known)) return known;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()) Scan(assembly);
        if (!ByName.ContainsKey(name) && TryLoad(assemblyName) is { } named) Scan(named);
        return ByName.TryGetValue(name, out var found) ? found
            : throw new ModelFormatException($"The model uses component '{name}' from assembly '{assemblyName}', which is not available: reference that assembly from the application.");
    }

    private static Assembly? TryLoad(string assemblyName)
    {
        try { return Assembly.Load(new AssemblyName(assemblyName)); }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or ArgumentException) { return null; }
    }

    private static void Scan(Assembly assembly)
    {
        if (!Scanned.TryAdd(assembly, true)) return;
        bool referencesData = assembly.GetName().Name == DataAssemblyName
            || assembly.GetReferencedAssemblies().Any(a => a.Name == DataAssemblyName);
        if (!referencesData) return;
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = [.. e.Types.OfType<Type>()]; }
        foreach (var type in types)
            if (ByType.GetOrAdd(type, DescribeType) is { } descriptor) Add(descriptor);
    }

    private static void Add(ComponentDescriptor descriptor)
    {
        var existing = ByName.GetOrAdd(descriptor.Name, descriptor);
        if (existing.Type != descriptor.Type)
            throw new InvalidOperationException($"Component name '{descriptor.Name}' is claimed by both {existing.Type?.FullName} and {descriptor.Type?.FullName}.");
    }

    private static ComponentDescriptor? DescribeType(Type type)
    {
        if (type.IsAbstract || type.IsGenericTypeDefinition) return null;
        bool implements = type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IModelComponent<>) && i.GenericTypeArguments[0] == type);
        if (!implements) return null;
        var describe = typeof(ComponentCatalog).GetMethod(nameof(Describe), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
        return (ComponentDescriptor)describe.Invoke(null, null)!;
    }

    private static ComponentDescriptor Describe<T>() where T : IModelComponent<T> =>
        new(T.ComponentName, T.FormatVersion, typeof(T).Assembly.GetName().Name!, ctx => T.Load(ctx), typeof(T));
}

/// <summary>How to name, version and load one component type.</summary>
internal sealed record ComponentDescriptor(string Name, int Version, string AssemblyName, Func<ModelLoadContext, object> Load, Type? Type = null);
