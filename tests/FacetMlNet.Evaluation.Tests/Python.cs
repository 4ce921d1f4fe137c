using FacetMlNet.Tests.Shared;

namespace FacetMlNet.Evaluation.Tests;

/// <summary>Runs Debian's python3 (never a pyenv one: the reference packages are Debian's) for oracle tests.</summary>
internal static class Python
{
    public static bool Has(string modules) => File.Exists("/usr/bin/python3") && Run("-c", $"import {modules}").Code == 0;

    /// <summary>Exit code and standard output (with standard error appended when it failed).</summary>
    public static (int Code, string Output) Run(params string[] args)
    {
        var (code, output, error) = ExternalTool.Run("/usr/bin/python3", args);
        return (code, code == 0 ? output : output + error);
    }
}
