using System.Diagnostics;

namespace FacetMlNet.Tests.Shared;

/// <summary>
/// Runs an installed reference tool (DCMTK, OpenJPEG, Debian's python3, Chromium) and collects its exit code and output.
/// Linked into the test projects and the benchmarks that compare against such tools.
/// </summary>
internal static class ExternalTool
{
    /// <exception cref="TimeoutException">The program ran past <paramref name="timeout"/> (it is killed).</exception>
    public static (int Code, string Output, string Error) Run(string program, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        // Both streams read concurrently, so a chatty program never blocks on a full pipe.
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? Timeout.InfiniteTimeSpan))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {timeout}");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
