namespace MLNet.Transformers.Data;

/// <summary>A pipeline part that writes itself into a model file.</summary>
public interface ICanSaveModel
{
    /// <summary>Writes this component's entries through <paramref name="ctx"/> (see <see cref="ModelSaveContext"/>).</summary>
    void Save(ModelSaveContext ctx);
}

/// <summary>
/// A component that a model file can name and restore. <see cref="ComponentName"/> is stored in the manifest and
/// must never change once models exist; <see cref="FormatVersion"/> goes up when the entries' layout changes, and
/// <see cref="Load"/> reads every version up to it. Components from any assembly are found by
/// <see cref="ComponentCatalog"/>.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface IModelComponent<TSelf> : ICanSaveModel where TSelf : IModelComponent<TSelf>
{
    /// <summary>The stable name the manifest records, such as <c>ValueToKeyMapping</c>.</summary>
    static abstract string ComponentName { get; }

    /// <summary>The newest entry layout this type writes and reads (1 or more).</summary>
    static abstract int FormatVersion { get; }

    /// <summary>Restores the component from the entries <see cref="ICanSaveModel.Save"/> wrote.</summary>
    static abstract TSelf Load(ModelLoadContext ctx);
}

/// <summary>A model file is damaged, hostile, from a newer version, or names a component that is not available.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public ModelFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with its message and the error that revealed the problem.</summary>
    public ModelFormatException(string message, Exception inner) : base(message, inner) { }
}
