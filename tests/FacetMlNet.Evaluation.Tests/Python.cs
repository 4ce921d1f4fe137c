using System.Diagnostics;

namespace FacetMlNet.Evaluation.Tests;

/// <summary>Runs Debian's python3 (never a pyenv one: the reference packages are Debian's) for oracle tests.</summary>
internal static class Python
{
    public static bool Has(string modules) => File.Exists("/usr/bin/python3") && Run("-c", $"import {modules}").Code == 0;

    /// <summary>Exit code and standard output (with standard error appended when it failed).</summary>
    public static (int Code, string Output) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, p.ExitCode == 0 ? stdout.Result : stdout.Result + stderr.Result);
    }
}
