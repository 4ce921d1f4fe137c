using System.CommandLine;
using FacetMlNet.Cli.Commands;
using FacetMlNet.Cohorts;
using FacetMlNet.Dicom;

namespace FacetMlNet.Cli;

/// <summary>The <c>facetml</c> command tree. Commands parse options and call the libraries; they hold no logic.</summary>
public static class FacetMlCli
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("facetml: train, compare and ship multitask models that grade lumbar facet-joint degeneration from DICOM.");
        root.Subcommands.Add(StudyCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(DicomCommand.Create());
        root.Subcommands.Add(CropsCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static int Invoke(string[] args) => Build().Parse(args).Invoke();

    /// <summary>
    /// Runs a command body; a user error (bad input, bad option, a file in the way) becomes one line on standard
    /// error naming the problem and exit code 2, not a stack trace.
    /// </summary>
    internal static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is DicomFormatException or DicomCodecException or DicomDataException or CohortFormatException
            or ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
