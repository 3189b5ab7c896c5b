using System.Reflection;

namespace MLNet.Transformers.Tests.Common;

/// <summary>
/// The exception a model loader threw: ML.NET calls loaders through reflection, so <c>Model.Load</c> surfaces it
/// wrapped in a <see cref="TargetInvocationException"/> per level of the pipeline.
/// </summary>
internal static class LoaderErrors
{
    public static Exception Unwrap(Exception error)
    {
        while (error is TargetInvocationException { InnerException: { } inner }) error = inner;
        return error;
    }
}
